package io.resquebus.runner;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A runner's own pause: open-ended or until a deadline on a monotonic clock, so a timed pause
 * ends by itself even if nobody calls resume.
 */
final class RunnerPause {

	private static final long NOT_PAUSED = Long.MIN_VALUE;

	private static final long FOREVER = Long.MAX_VALUE;

	private final LongSupplier nanoTime;

	private volatile long pausedUntil = NOT_PAUSED;

	RunnerPause(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	void pause() {
		this.pausedUntil = FOREVER;
	}

	void pause(Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("A timed pause needs a positive duration, not " + duration);
		}
		long now = this.nanoTime.getAsLong();
		long nanos = saturatedNanos(duration);
		this.pausedUntil = (nanos >= FOREVER - Math.max(0, now)) ? FOREVER : now + nanos;
	}

	void resume() {
		this.pausedUntil = NOT_PAUSED;
	}

	boolean isPaused() {
		long until = this.pausedUntil;
		if (until == NOT_PAUSED) {
			return false;
		}
		return until == FOREVER || this.nanoTime.getAsLong() - until < 0;
	}

	/** Nanoseconds left of a timed pause (0 if not paused, {@link Long#MAX_VALUE} if open-ended). */
	long remainingNanos() {
		long until = this.pausedUntil;
		if (until == NOT_PAUSED) {
			return 0;
		}
		if (until == FOREVER) {
			return FOREVER;
		}
		return Math.max(0, until - this.nanoTime.getAsLong());
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return FOREVER;
		}
	}

}
