package io.resquebus.wire;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The time formats Resque writes into Redis, all in UTC; one place, so every writer of a key
 * agrees with Ruby on it.
 */
public final class ResqueTimes {

	private static final DateTimeFormatter FAILED_AT = utc("yyyy/MM/dd HH:mm:ss 'UTC'");

	private static final DateTimeFormatter RETRIED_AT = utc("yyyy/MM/dd HH:mm:ss");

	private static final DateTimeFormatter HEARTBEAT = utc("yyyy-MM-dd'T'HH:mm:ssxxx");

	private static final DateTimeFormatter STARTED = utc("yyyy-MM-dd HH:mm:ss xx");

	private static final DateTimeFormatter RUN_AT = utc("yyyy-MM-dd'T'HH:mm:ss'Z'");

	private ResqueTimes() {
	}

	/** A failure entry's {@code failed_at} (spec section 9): {@code 2024/06/10 06:13:21 UTC}. */
	public static String failedAt(Instant time) {
		return FAILED_AT.format(time);
	}

	/** A retried failure entry's {@code retried_at}, as resque-web writes it: {@code 2024/06/10 06:13:21}. */
	public static String retriedAt(Instant time) {
		return RETRIED_AT.format(time);
	}

	/** A {@code workers:heartbeat} value (spec section 10): {@code 2024-06-10T06:13:21+00:00}. */
	public static String heartbeat(Instant time) {
		return HEARTBEAT.format(time);
	}

	/** A {@code worker:<id>:started} value (spec section 10): {@code 2024-06-10 06:13:21 +0000}. */
	public static String workerStarted(Instant time) {
		return STARTED.format(time);
	}

	/** The {@code run_at} of a {@code worker:<id>} entry (spec section 10): {@code 2024-06-10T06:13:21Z}. */
	public static String runAt(Instant time) {
		return RUN_AT.format(time);
	}

	private static DateTimeFormatter utc(String pattern) {
		return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
	}

}
