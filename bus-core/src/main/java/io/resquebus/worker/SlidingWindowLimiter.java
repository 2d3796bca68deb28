package io.resquebus.worker;

import java.util.concurrent.TimeUnit;

/**
 * At most {@code permits} grants in any window of one second: remembers the time of the last
 * {@code permits} grants and grants again only when the oldest is a full second old. Not
 * thread-safe; {@link JobThrottle} guards it.
 */
final class SlidingWindowLimiter {

	static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final long[] grants;

	private int next;

	private int count;

	SlidingWindowLimiter(int permitsPerSecond) {
		if (permitsPerSecond < 1) {
			throw new IllegalArgumentException("A rate needs at least 1 job per second, not " + permitsPerSecond);
		}
		this.grants = new long[permitsPerSecond];
	}

	/** How long until a grant is possible at {@code now}; 0 if it is possible now. */
	long waitNanos(long now) {
		if (this.count < this.grants.length) {
			return 0;
		}
		long oldest = this.grants[this.next];
		long age = now - oldest;
		return (age >= WINDOW_NANOS) ? 0 : WINDOW_NANOS - age;
	}

	/** Records a grant at {@code now}; call only when {@link #waitNanos} said 0. */
	void grant(long now) {
		this.grants[this.next] = now;
		this.next = (this.next + 1) % this.grants.length;
		if (this.count < this.grants.length) {
			this.count++;
		}
	}

}
