package io.resquebus.invoke;

import java.time.Clock;
import java.util.Map;

import io.resquebus.BusEvent;
import io.resquebus.BusListener;
import io.resquebus.BusListener.Handling;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.MalformedJobException;
import io.resquebus.wire.WireCodec;

/**
 * Runs one job of this app's queues: decodes it, finds the subscription by app key and sub key
 * (as queue-bus's Rider does) and calls its handler. Whatever goes wrong is thrown, for the
 * caller to record as a failure. A job whose subscription the publisher already ran in its own
 * thread (a synchronous subscriber, marked in {@code bus_sync_delivered}) is not run again.
 * The handler sees {@code bus_executed_at}, as a Ruby block handler does.
 */
public final class JobDispatcher {

	private final WireCodec codec;

	private final AppSubscriptions subscriptions;

	private final Clock clock;

	public JobDispatcher(WireCodec codec, AppSubscriptions subscriptions) {
		this(codec, subscriptions, Clock.systemUTC());
	}

	/** @param clock gives {@code bus_executed_at} */
	public JobDispatcher(WireCodec codec, AppSubscriptions subscriptions, Clock clock) {
		this.codec = codec;
		this.subscriptions = subscriptions;
		this.clock = clock;
	}

	/**
	 * @return {@code false} when the handler did not run because the publisher had already run it
	 * (the job is done all the same)
	 */
	public boolean dispatch(String rawJob) throws Exception {
		return dispatch(this.codec.parseJob(rawJob), "none", BusListener.NONE);
	}

	/**
	 * Runs an already decoded job, as {@link #dispatch(String)} does, telling the listener about
	 * the handler call.
	 * @param queue the queue the job came from
	 */
	public boolean dispatch(BusJob job, String queue, BusListener listener) throws Exception {
		if (!JobClasses.same(job.className(), JobClasses.WORKER)) {
			throw new MalformedJobException("Unknown job class '" + job.className() + "'");
		}
		String appKey = job.attribute(BusAttributes.RIDER_APP_KEY);
		String subKey = job.attribute(BusAttributes.RIDER_SUB_KEY);
		if (appKey == null || subKey == null) {
			throw new MalformedJobException("Job has no bus_rider_app_key or bus_rider_sub_key");
		}
		if (!appKey.equals(this.subscriptions.appKey())) {
			throw new UnknownSubscriptionException("Job is for app '" + appKey + "', this is app '"
					+ this.subscriptions.appKey() + "'");
		}
		if (Events.isSyncDelivered(job.event(), appKey, subKey)) {
			return false;
		}
		LocalSubscription subscription = this.subscriptions.find(subKey)
			.orElseThrow(() -> new UnknownSubscriptionException(
					"App '" + appKey + "' has no subscription '" + subKey + "' (removed from the code?)"));
		String proxy = job.proxy();
		if (!JobClasses.same(proxy, JobClasses.RIDER)) {
			throw new UnknownSubscriptionException("Job for subscription '" + subKey + "' names class '" + proxy
					+ "'; Java subscriptions are served as " + JobClasses.RIDER);
		}
		Map<String, Object> event = Events.executed(job.event(), this.clock.millis() / 1000);
		Handling handling = listener.handling(queue, subKey, event);
		try {
			subscription.handler().handle(new BusEvent(event));
		}
		catch (Exception | Error ex) {
			handling.failed(ex);
			throw ex;
		}
		handling.succeeded();
		return true;
	}

}
