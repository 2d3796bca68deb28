package io.resquebus.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.Subscription;
import io.resquebus.subscription.SubscriptionIndex;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;

/**
 * What the driver does with one incoming job (spec sections 7 and 8.2), without touching Redis:
 * a {@code QueueBus::Driver} event becomes one job per matching subscription of every app; a due
 * {@code QueueBus::Publisher} event is published again onto the incoming queue. A heartbeat job
 * pushes nothing here: it needs Redis, so the caller runs it (see {@link #isHeartbeat(BusJob)}).
 * A subscription the publisher already ran in its own thread ({@code bus_sync_delivered}) gets no
 * job; workers skip such jobs too, for events a Ruby driver fanned out.
 */
final class Driver {

	private final BusSettings settings;

	private volatile MatchBudget matchBudget = MatchBudget.defaults();

	public Driver(BusSettings settings) {
		this.settings = settings;
	}

	/** Bounds the work of each regex match; a match over it counts as no match. */
	public void setMatchBudget(MatchBudget matchBudget) {
		this.matchBudget = matchBudget;
	}

	/**
	 * @param job the incoming job
	 * @param subscriptions every app's subscriptions
	 * @param now the epoch second written as {@code bus_driven_at}
	 * @return the jobs to push; empty when nothing matches or for a heartbeat job
	 * @throws UnroutableJobException when the job is not one the driver handles
	 */
	public List<Push> drive(BusJob job, List<Subscription> subscriptions, long now) {
		return drive(job, SubscriptionIndex.of(subscriptions), now);
	}

	/**
	 * As {@link #drive(BusJob, List, long)}, with the subscriptions indexed once for many jobs.
	 */
	public List<Push> drive(BusJob job, SubscriptionIndex subscriptions, long now) {
		if (isHeartbeat(job)) {
			return List.of();
		}
		if (!JobClasses.same(job.className(), JobClasses.WORKER)) {
			throw new UnroutableJobException("Unknown job class '" + job.className() + "' on the incoming queue");
		}
		String proxy = job.proxy();
		if (JobClasses.same(proxy, JobClasses.DRIVER)) {
			return fanOut(job, subscriptions, now);
		}
		if (JobClasses.same(proxy, JobClasses.PUBLISHER)) {
			return List.of(republish(job.event(), now));
		}
		throw new UnroutableJobException("Unknown bus_class_proxy '" + proxy + "' on the incoming queue");
	}

	/**
	 * Whether the job asks for a {@link Heartbeat} run: the cron job
	 * {@code QueueBus::Worker} with proxy {@code ::QueueBus::Heartbeat}, or the bare
	 * {@code ::QueueBus::Heartbeat} job.
	 */
	public static boolean isHeartbeat(BusJob job) {
		if (JobClasses.same(job.className(), JobClasses.HEARTBEAT)) {
			return true;
		}
		return JobClasses.same(job.className(), JobClasses.WORKER)
				&& JobClasses.same(job.proxy(), JobClasses.HEARTBEAT);
	}

	private List<Push> fanOut(BusJob job, SubscriptionIndex subscriptions, long now) {
		Map<String, Object> event = job.event();
		if (event.size() <= 1) {
			throw new UnroutableJobException("Empty event on the incoming queue");
		}
		List<Subscription> matching = new ArrayList<>();
		for (Subscription subscription : subscriptions.matching(event, this.matchBudget)) {
			if (!Events.isSyncDelivered(event, subscription.appKey(), subscription.key())) {
				matching.add(subscription);
			}
		}
		RiderJobs jobs = RiderJobs.of(this.settings.codec(), job, now, matching.size());
		List<Push> pushes = new ArrayList<>(matching.size());
		for (Subscription subscription : matching) {
			pushes.add(new Push(subscription.queueName(), jobs.job(subscription.rider())));
		}
		return pushes;
	}

	private Push republish(Map<String, Object> delayed, long now) {
		String busId = delayed.containsKey(BusAttributes.ID) ? null : this.settings.idGenerator().nextId(now);
		Map<String, Object> event = Events.republished(delayed, now, this.settings.hostname(), busId);
		return new Push(BusKeys.INCOMING_QUEUE, this.settings.codec().job(event));
	}

}
