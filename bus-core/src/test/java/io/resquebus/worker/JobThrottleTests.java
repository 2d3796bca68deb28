package io.resquebus.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throttle on a clock the test moves: sleeping advances it.
 */
class JobThrottleTests {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong clock = new AtomicLong(42);

	private final List<Long> sleeps = new ArrayList<>();

	@Test
	void startsNoMoreThanTheRateInAnyOneSecondWindow() {
		JobThrottle throttle = throttle(3, Map.of());
		List<Long> grants = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			assertThat(throttle.acquire("q", () -> true)).isTrue();
			grants.add(this.clock.get());
			this.clock.addAndGet(SECOND / 10);
		}
		for (int i = 0; i + 3 < grants.size(); i++) {
			assertThat(grants.get(i + 3) - grants.get(i)).as("grants %d and %d", i, i + 3)
				.isGreaterThanOrEqualTo(SECOND);
		}
		assertThat(grants.subList(0, 3)).containsExactly(42L, 42L + SECOND / 10, 42L + 2 * SECOND / 10);
		assertThat(grants.get(3)).isEqualTo(42L + SECOND);
	}

	@Test
	void limitsAQueueOnItsOwnAndOtherQueuesNotAtAll() {
		JobThrottle throttle = throttle(0, Map.of("slow", 2));
		for (int i = 0; i < 2; i++) {
			assertThat(throttle.acquire("slow", () -> true)).isTrue();
		}
		for (int i = 0; i < 100; i++) {
			assertThat(throttle.acquire("fast", () -> true)).isTrue();
		}
		assertThat(this.sleeps).isEmpty();
		assertThat(throttle.acquire("slow", () -> true)).isTrue();
		assertThat(this.clock.get()).isEqualTo(42 + SECOND);
	}

	@Test
	void takesTheOverallAndTheQueuePermitTogether() {
		JobThrottle throttle = throttle(2, Map.of("slow", 1));
		assertThat(throttle.acquire("slow", () -> true)).isTrue();
		assertThat(throttle.acquire("other", () -> true)).isTrue();
		// Overall is full now; "slow" waits for both, and its waiting spends no overall permit.
		assertThat(throttle.acquire("slow", () -> true)).isTrue();
		assertThat(this.clock.get()).isEqualTo(42 + SECOND);
		assertThat(throttle.acquire("other", () -> true)).isTrue();
		assertThat(this.clock.get()).isEqualTo(42 + SECOND);
	}

	@Test
	void givesUpWhenToldToStopWaiting() {
		JobThrottle throttle = throttle(1, Map.of());
		assertThat(throttle.acquire("q", () -> false)).isTrue();
		assertThat(throttle.acquire("q", () -> false)).isFalse();
		assertThat(this.clock.get()).isEqualTo(42);
	}

	@Test
	void withoutRatesItLimitsNothing() {
		assertThat(throttle(0, Map.of()).limits()).isFalse();
		assertThat(throttle(0, Map.of("q", 5)).limits()).isTrue();
	}

	private JobThrottle throttle(int rate, Map<String, Integer> queueRates) {
		return new JobThrottle(rate, queueRates, this.clock::get, (nanos) -> {
			this.sleeps.add(nanos);
			this.clock.addAndGet(nanos);
		});
	}

}
