package io.resquebus.retry;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Retry policies for bus handlers, as Spring Framework {@link RetryPolicy} instances: the policy's
 * {@link RetryPolicy#shouldRetry(Throwable)} says whether an error is retried at all (after the
 * {@link BusExceptionClassifier}), its {@link RetryPolicy#getBackOff() back-off} how long each
 * retry waits and when to give up. A retry waits in resque-scheduler's delayed set, not in a
 * worker thread, so delays are rounded up to whole seconds (and come back with the scheduler's
 * poll). The policy's timeout is not used: a job's attempts are counted in Redis, not timed.
 */
public final class BusRetryPolicies {

	/** resque-retry's {@code ExponentialBackoff} delays: at once, 1 min, 10 min, 1 h, 3 h, 6 h. */
	public static final List<Duration> RESQUE_RETRY_DELAYS = List.of(Duration.ZERO, Duration.ofMinutes(1),
			Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6));

	/** Runs in all, the first included, under resque-retry's delays: the first run and 6 retries. */
	public static final int DEFAULT_MAX_ATTEMPTS = RESQUE_RETRY_DELAYS.size() + 1;

	/** Runs after which every policy gives up, whatever its back-off says. */
	public static final long MAX_RUNS = 10_000;

	private BusRetryPolicies() {
	}

	/** What Ruby's resque-bus does: {@link #RESQUE_RETRY_DELAYS}, 7 runs in all, no jitter. */
	public static RetryPolicy resqueRetry() {
		return delays(DEFAULT_MAX_ATTEMPTS, RESQUE_RETRY_DELAYS, Duration.ZERO);
	}

	/**
	 * Waits the given delays in turn (the last one again once they run out).
	 * @param maxAttempts runs in all, the first included; 1 for no retry
	 * @param delays the delay before each retry; zero re-queues at once
	 * @param jitter how far each non-zero delay may move either way
	 */
	public static RetryPolicy delays(int maxAttempts, List<Duration> delays, Duration jitter) {
		return RetryPolicy.builder().backOff(new DelayListBackOff(delays, retries(maxAttempts), jitter)).build();
	}

	/**
	 * Exponential back-off with Spring's {@link org.springframework.util.backoff.ExponentialBackOff}
	 * semantics (its jitter grows with the delay).
	 * @param maxAttempts runs in all, the first included; 1 for no retry
	 * @param delay the first retry's delay
	 * @param multiplier what each further delay is multiplied by; 1 for a fixed delay
	 * @param maxDelay the longest delay
	 * @param jitter the random spread of the first delay
	 */
	public static RetryPolicy exponential(int maxAttempts, Duration delay, double multiplier, Duration maxDelay,
			Duration jitter) {
		return RetryPolicy.builder()
			.maxRetries(retries(maxAttempts))
			.delay(delay)
			.multiplier(multiplier)
			.maxDelay(maxDelay)
			.jitter(jitter)
			.build();
	}

	/** Never retries: every failure goes to the failed list at once. */
	public static RetryPolicy none() {
		return delays(1, List.of(Duration.ZERO), Duration.ZERO);
	}

	/**
	 * How long the retry after a failed run waits, or {@code null} when the policy gives up.
	 * @param failedRuns how many runs failed before this one (resque-retry's counter after this
	 * run's failure): 0 for the first run
	 */
	public static @Nullable Duration delayBeforeRetry(RetryPolicy policy, long failedRuns) {
		if (failedRuns < 0 || failedRuns >= MAX_RUNS) {
			return null;
		}
		BackOffExecution execution = policy.getBackOff().start();
		long delay = BackOffExecution.STOP;
		for (long i = 0; i <= failedRuns; i++) {
			delay = execution.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return null;
			}
		}
		return Duration.ofMillis(delay);
	}

	private static long retries(int maxAttempts) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("Max attempts must be at least 1 (the first run), got " + maxAttempts);
		}
		return maxAttempts - 1L;
	}

}
