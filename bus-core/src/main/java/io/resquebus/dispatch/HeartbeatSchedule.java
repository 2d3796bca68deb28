package io.resquebus.dispatch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.resquebus.driver.Heartbeat;
import io.resquebus.subscription.Match;
import io.resquebus.wire.BusAttributes;
import org.jspecify.annotations.Nullable;

/**
 * When a subscription to queue-bus's minute heartbeat runs, queue-bus's {@code on_heartbeat}
 * in Java: a matcher on the {@code heartbeat_minutes} event's calendar fields, stored in the
 * registry like any other, so Ruby and Java drivers deliver it alike. Times are in the
 * heartbeat's zone (the {@code TZ} of the runner that publishes it).
 * <pre class="code">
 * dispatch.onHeartbeat("purge", HeartbeatSchedule.hourly(0), (event) -&gt; ...);       // every hour at :00
 * dispatch.onHeartbeat("report", HeartbeatSchedule.daily(3, 30), (event) -&gt; ...);  // every day at 03:30
 * </pre>
 */
public final class HeartbeatSchedule {

	private final Map<String, String> matcher;

	private HeartbeatSchedule(Map<String, String> fields) {
		Map<String, String> matcher = new LinkedHashMap<>();
		matcher.put(BusAttributes.EVENT_TYPE, Heartbeat.EVENT_TYPE);
		matcher.putAll(fields);
		this.matcher = Collections.unmodifiableMap(matcher);
	}

	/** Every minute. */
	public static HeartbeatSchedule everyMinute() {
		return new HeartbeatSchedule(Map.of());
	}

	/**
	 * Every {@code interval} minutes within each hour: at the minutes divisible by it (for 15:
	 * :00, :15, :30 and :45).
	 * @param interval 1 to 60
	 */
	public static HeartbeatSchedule everyMinutes(int interval) {
		check("interval", interval, 1, 60);
		if (interval == 1) {
			return everyMinute();
		}
		StringJoiner minutes = new StringJoiner("|", "^(?:", ")$");
		for (int minute = 0; minute < 60; minute += interval) {
			minutes.add(Integer.toString(minute));
		}
		return new HeartbeatSchedule(Map.of("minute", Match.regex(minutes.toString())));
	}

	/** Every hour at the given minute (0 to 59). */
	public static HeartbeatSchedule hourly(int minute) {
		return at(null, null, minute);
	}

	/** Every day at the given hour (0 to 23) and minute (0 to 59). */
	public static HeartbeatSchedule daily(int hour, int minute) {
		return at(null, hour, minute);
	}

	/** Every week on the given day (0 = Sunday to 6 = Saturday, Ruby's {@code wday}), hour and minute. */
	public static HeartbeatSchedule weekly(int wday, int hour, int minute) {
		return at(wday, hour, minute);
	}

	/** The matcher: {@code bus_event_type} {@code heartbeat_minutes}, then the fields in order. */
	public Map<String, String> matcher() {
		return this.matcher;
	}

	private static HeartbeatSchedule at(@Nullable Integer wday, @Nullable Integer hour, int minute) {
		Map<String, String> fields = new LinkedHashMap<>();
		if (wday != null) {
			fields.put("wday", Integer.toString(check("wday", wday, 0, 6)));
		}
		if (hour != null) {
			fields.put("hour", Integer.toString(check("hour", hour, 0, 23)));
		}
		fields.put("minute", Integer.toString(check("minute", minute, 0, 59)));
		return new HeartbeatSchedule(fields);
	}

	private static int check(String name, int value, int min, int max) {
		if (value < min || value > max) {
			throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
		}
		return value;
	}

	@Override
	public String toString() {
		return "HeartbeatSchedule" + this.matcher;
	}

}
