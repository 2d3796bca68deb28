package io.resquebus;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A warning that may recur thousands of times a second (a hostile regex, a full failed list): the
 * first occurrence is logged at once, then at most one line per interval, and every line carries
 * what happened since the previous one, so nothing is lost but the repetition. Thread-safe.
 */
public final class RateLimitedLog {

	/** How often a recurring warning is logged unless told otherwise. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

	private final Logger logger;

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final AtomicLong occurrences = new AtomicLong();

	private final AtomicLong amount = new AtomicLong();

	private final AtomicLong nextLogAt;

	/** The last occurrence's message, for {@link #flush()}. */
	private volatile @Nullable Message last;

	public RateLimitedLog(Logger logger, Duration interval) {
		this(logger, interval, System::nanoTime);
	}

	/** With the clock the interval is measured on, in nanoseconds (tests move it). */
	public RateLimitedLog(Logger logger, Duration interval, LongSupplier nanoClock) {
		this.logger = logger;
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
		this.nextLogAt = new AtomicLong(nanoClock.getAsLong());
	}

	/**
	 * Counts one occurrence, and logs it at WARN if the interval since the last line has passed. The
	 * format's last placeholder receives the number of occurrences since the last line (this one
	 * included); {@code args} fill the ones before.
	 * @return whether a line was logged
	 */
	public boolean warn(String format, Object... args) {
		return log(0, false, format, args);
	}

	/**
	 * Counts one occurrence adding {@code amount}, and logs it at WARN if the interval since the
	 * last line has passed. The format's last two placeholders receive the amount and the number of
	 * occurrences summed since the last line (this one included); {@code args} fill the ones before.
	 * @return whether a line was logged
	 */
	public boolean warn(long amount, String format, Object... args) {
		return log(amount, true, format, args);
	}

	/**
	 * Logs what was counted since the last line, with the last occurrence's message, if anything
	 * was (when the recurring work stops, so the counts of its last interval are not lost).
	 * @return whether a line was logged
	 */
	public boolean flush() {
		Message message = this.last;
		if (message == null || this.occurrences.get() == 0) {
			return false;
		}
		this.nextLogAt.set(this.nanoClock.getAsLong() + this.intervalNanos);
		write(message);
		return true;
	}

	private boolean log(long amount, boolean withAmount, String format, Object[] args) {
		Message message = new Message(withAmount, format, args);
		this.last = message;
		this.amount.addAndGet(amount);
		this.occurrences.incrementAndGet();
		long now = this.nanoClock.getAsLong();
		long due = this.nextLogAt.get();
		if (now - due < 0 || !this.nextLogAt.compareAndSet(due, now + this.intervalNanos)) {
			return false;
		}
		write(message);
		return true;
	}

	private void write(Message message) {
		Object[] args = message.args();
		Object[] all = Arrays.copyOf(args, args.length + (message.withAmount() ? 2 : 1));
		long sum = this.amount.getAndSet(0);
		if (message.withAmount()) {
			all[args.length] = sum;
		}
		all[all.length - 1] = this.occurrences.getAndSet(0);
		this.logger.warn(message.format(), all);
	}

	private record Message(boolean withAmount, String format, Object[] args) {
	}

}
