package io.resquebus.failure;

import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.ResqueTimes;
import org.jspecify.annotations.Nullable;

/**
 * Turns a job that could not be run into Resque's failure entry (spec section 9), so resque-web
 * shows it and can retry it.
 */
public final class Failures {

	private static final int MAX_FRAMES = 50;

	/** The last {@code failed_at} made, by epoch second. */
	private static volatile @Nullable FailedAt lastFailedAt;

	private Failures() {
	}

	/**
	 * @param rawJob the job exactly as popped
	 * @param queue the queue it came from
	 * @param workerId the consumer that ran it
	 * @param error why it failed; reflection wrappers are unwrapped
	 */
	public static FailureEntry entry(String rawJob, String queue, String workerId, Throwable error, Clock clock) {
		Throwable cause = unwrap(error);
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getName();
		return new FailureEntry(failedAt(clock), rawJob, cause.getClass().getName(), message,
				backtrace(cause), workerId, queue);
	}

	/**
	 * Now, as Resque writes {@code failed_at} (in UTC). Asked at every fetch (the size-limit entry),
	 * so the text of the current second is kept.
	 */
	public static String failedAt(Clock clock) {
		Instant now = clock.instant();
		FailedAt last = lastFailedAt;
		if (last != null && last.second() == now.getEpochSecond()) {
			return last.text();
		}
		String text = ResqueTimes.failedAt(now);
		lastFailedAt = new FailedAt(now.getEpochSecond(), text);
		return text;
	}
	private record FailedAt(long second, String text) {
	}

	static Throwable unwrap(Throwable error) {
		Throwable cause = error;
		while (cause instanceof InvocationTargetException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static List<String> backtrace(Throwable error) {
		List<String> lines = new ArrayList<>();
		for (Throwable t = error; t != null && lines.size() < MAX_FRAMES; t = t.getCause()) {
			if (t != error) {
				lines.add("Caused by: " + t);
			}
			for (StackTraceElement frame : t.getStackTrace()) {
				if (lines.size() >= MAX_FRAMES) {
					break;
				}
				lines.add(frame.toString());
			}
		}
		return lines;
	}

}
