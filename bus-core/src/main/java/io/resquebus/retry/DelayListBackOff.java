package io.resquebus.retry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * A {@link BackOff} that waits the given delays in turn, as resque-retry's
 * {@code backoff_strategy} does: the n-th retry waits the n-th delay, or the last one once the
 * list runs out, until the maximum number of retries. A zero delay means "at once". Jitter moves
 * each non-zero delay by a random amount of at most plus or minus the jitter (never below zero),
 * so that jobs failing together do not all come back in the same second.
 */
final class DelayListBackOff implements BackOff {

	private final List<Duration> delays;

	private final long maxRetries;

	private final Duration jitter;

	/**
	 * @param delays the delay before each retry, the first retry first; not empty
	 * @param maxRetries how many retries in all (runs minus one)
	 * @param jitter how far each non-zero delay may move either way; zero for none
	 */
	public DelayListBackOff(List<Duration> delays, long maxRetries, Duration jitter) {
		if (delays.isEmpty()) {
			throw new IllegalArgumentException("A delay list back-off needs at least one delay");
		}
		if (delays.stream().anyMatch(Duration::isNegative) || jitter.isNegative() || maxRetries < 0) {
			throw new IllegalArgumentException("Delays, jitter and retries must not be negative");
		}
		this.delays = List.copyOf(delays);
		this.maxRetries = maxRetries;
		this.jitter = jitter;
	}

	public List<Duration> delays() {
		return this.delays;
	}

	public long maxRetries() {
		return this.maxRetries;
	}

	public Duration jitter() {
		return this.jitter;
	}

	@Override
	public BackOffExecution start() {
		return new BackOffExecution() {

			private long retries;

			@Override
			public long nextBackOff() {
				if (this.retries >= DelayListBackOff.this.maxRetries) {
					return STOP;
				}
				int index = (int) Math.min(this.retries++, DelayListBackOff.this.delays.size() - 1);
				return jittered(DelayListBackOff.this.delays.get(index).toMillis());
			}

		};
	}

	private long jittered(long delay) {
		long jitter = this.jitter.toMillis();
		if (delay == 0 || jitter == 0) {
			return delay;
		}
		return Math.max(0, delay + ThreadLocalRandom.current().nextLong(-jitter, jitter + 1));
	}

	@Override
	public String toString() {
		return "DelayListBackOff[delays=" + this.delays + ", maxRetries=" + this.maxRetries + ", jitter="
				+ this.jitter + "]";
	}

}
