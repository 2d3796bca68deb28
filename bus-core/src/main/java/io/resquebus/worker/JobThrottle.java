package io.resquebus.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Pace's throttle for a worker: at most so many jobs start in any one-second window, overall and
 * per queue, shared by all the worker's consumer threads. A job takes its overall and its queue
 * permit together or waits, so a permit is never spent on a job that then does not start.
 */
public final class JobThrottle {

	private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final @Nullable SlidingWindowLimiter overall;

	private final Map<String, SlidingWindowLimiter> perQueue = new HashMap<>();

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	/**
	 * @param jobsPerSecond most jobs started per second over all queues; 0 for no overall limit
	 * @param queueRates most jobs started per second on a queue, by queue name
	 */
	public JobThrottle(int jobsPerSecond, Map<String, Integer> queueRates) {
		this(jobsPerSecond, queueRates, System::nanoTime, LockSupport::parkNanos);
	}

	JobThrottle(int jobsPerSecond, Map<String, Integer> queueRates, LongSupplier nanoTime, Sleeper sleeper) {
		this.overall = (jobsPerSecond > 0) ? new SlidingWindowLimiter(jobsPerSecond) : null;
		queueRates.forEach((queue, rate) -> {
			if (rate != null && rate > 0) {
				this.perQueue.put(queue, new SlidingWindowLimiter(rate));
			}
		});
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
	}

	/** Whether any limit is set; without one the worker needs no throttle. */
	public boolean limits() {
		return this.overall != null || !this.perQueue.isEmpty();
	}

	/**
	 * Waits until a job of the queue may start and takes its permits.
	 * @param keepWaiting asked between waits; when it turns false this gives up
	 * @return {@code false} if it gave up, so the job must not start
	 */
	public boolean acquire(String queue, BooleanSupplier keepWaiting) {
		SlidingWindowLimiter queueLimiter = this.perQueue.get(queue);
		if (this.overall == null && queueLimiter == null) {
			return true;
		}
		while (true) {
			long wait;
			synchronized (this) {
				long now = this.nanoTime.getAsLong();
				wait = Math.max((this.overall != null) ? this.overall.waitNanos(now) : 0,
						(queueLimiter != null) ? queueLimiter.waitNanos(now) : 0);
				if (wait == 0) {
					if (this.overall != null) {
						this.overall.grant(now);
					}
					if (queueLimiter != null) {
						queueLimiter.grant(now);
					}
					return true;
				}
			}
			if (!keepWaiting.getAsBoolean()) {
				return false;
			}
			this.sleeper.sleep(Math.min(wait, MAX_SLEEP_NANOS));
		}
	}

	/** Waits the given nanoseconds (may return early); replaceable in tests. */
	@FunctionalInterface
	interface Sleeper {

		void sleep(long nanos);

	}

}
