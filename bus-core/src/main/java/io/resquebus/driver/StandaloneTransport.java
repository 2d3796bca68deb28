package io.resquebus.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.resquebus.BusSettings;
import io.resquebus.publish.EventTransport;
import io.resquebus.publish.QueuedTransport;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.QueuePushes;
import io.resquebus.redis.RedisCallTimeoutException;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.Subscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.JobClasses;
import org.springframework.dao.DataAccessException;

/**
 * The {@code standalone} local mode: the publisher does the driver's work itself. It reads every
 * app's subscriptions from the registry, fans the events out exactly as a {@link Driver} would and
 * pushes every resulting job, across all queues, in one atomic script; nothing goes through
 * {@code bus_incoming}, so no driver is needed for published events. Delayed events are scheduled
 * as in the default mode: when due they land on {@code bus_incoming}, which a driver empties.
 * <p>
 * Reading the registry and pushing the jobs share one publish timeout.
 */
public class StandaloneTransport extends QueuedTransport {

	private final SubscriptionRegistry registry;

	private final Driver driver;

	/**
	 * @param timeout how long one publish waits for Redis in all, positive
	 */
	public StandaloneTransport(BusRedis redis, BusSettings settings, SubscriptionRegistry registry,
			Duration timeout) {
		super(redis, settings, timeout);
		this.registry = registry;
		this.driver = new Driver(settings);
	}

	/** A transport waiting at most {@link QueuedTransport#DEFAULT_TIMEOUT} for Redis. */
	public StandaloneTransport(BusRedis redis, BusSettings settings, SubscriptionRegistry registry) {
		this(redis, settings, registry, DEFAULT_TIMEOUT);
	}

	/** Bounds the work of each subscription's regex match; see {@link MatchBudget}. */
	public void setMatchBudget(MatchBudget matchBudget) {
		this.driver.setMatchBudget(matchBudget);
	}

	@Override
	public void send(List<String> jobs, String what) {
		long start = System.nanoTime();
		try {
			List<Subscription> subscriptions = this.registry.all(this.timeout);
			long now = this.settings.epochSecond();
			List<Push> pushes = new ArrayList<>();
			for (String raw : jobs) {
				BusJob job = this.settings.codec().parseJob(raw);
				for (Push push : this.driver.drive(job, subscriptions, now)) {
					if (JobClasses.same(job.proxy(), JobClasses.PUBLISHER)) {
						// A delayed event already due: published again, then fanned out like any other.
						pushes.addAll(this.driver.drive(this.settings.codec().parseJob(push.job()), subscriptions, now));
					}
					else {
						pushes.add(push);
					}
				}
			}
			if (!pushes.isEmpty()) {
				remaining(start);
				// Failing over: the same jobs again, within what is left of the publish timeout.
				retrying(what, start + this.timeout.toNanos(), (remaining) -> push(pushes, remaining));
			}
		}
		catch (DataAccessException ex) {
			throw failure(what, ex);
		}
	}

	/** In the calling thread: the registry is read before anything is sent. */
	@Override
	public CompletableFuture<Void> sendAsync(List<String> jobs, String what) {
		return EventTransport.synchronously(() -> send(jobs, what));
	}

	/** What is left of the publish timeout; nothing was sent if it is all spent. */
	private Duration remaining(long start) {
		Duration remaining = this.timeout.minusNanos(System.nanoTime() - start);
		if (remaining.isNegative() || remaining.isZero()) {
			throw new RedisCallTimeoutException(this.timeout, null);
		}
		return remaining;
	}

	private void push(List<Push> pushes, Duration timeout) {
		QueuePushes byQueue = new QueuePushes();
		pushes.forEach((push) -> byQueue.add(push.queue(), push.job()));
		byQueue.run(this.redis, this.settings.keys(), timeout);
	}

}
