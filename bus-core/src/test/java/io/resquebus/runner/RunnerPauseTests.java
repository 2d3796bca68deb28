package io.resquebus.runner;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RunnerPauseTests {

	private final AtomicLong clock = new AtomicLong(-5);

	private final RunnerPause pause = new RunnerPause(this.clock::get);

	@Test
	void aTimedPauseEndsAtItsDeadline() {
		this.pause.pause(Duration.ofSeconds(2));
		this.clock.addAndGet(Duration.ofMillis(1999).toNanos());
		assertThat(this.pause.isPaused()).isTrue();
		assertThat(this.pause.remainingNanos()).isEqualTo(Duration.ofMillis(1).toNanos());
		this.clock.addAndGet(Duration.ofMillis(1).toNanos());
		assertThat(this.pause.isPaused()).isFalse();
		assertThat(this.pause.remainingNanos()).isZero();
	}

	@Test
	void anOpenPauseLastsUntilResumed() {
		this.pause.pause();
		this.clock.addAndGet(Duration.ofDays(365).toNanos());
		assertThat(this.pause.isPaused()).isTrue();
		this.pause.resume();
		assertThat(this.pause.isPaused()).isFalse();
	}

	@Test
	void aHugeDurationMeansUntilResumed() {
		this.pause.pause(Duration.ofSeconds(Long.MAX_VALUE));
		assertThat(this.pause.remainingNanos()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void refusesAnEmptyDuration() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.pause.pause(Duration.ZERO));
	}

}
