package io.resquebus.driver;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusOperations;
import io.resquebus.redis.BusRedis;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ::QueueBus::Heartbeat} step (spec 8.4): publishes one {@code heartbeat_minutes}
 * event per minute that has passed since the last one any runner published. It issues the same
 * commands on the same keys as Ruby's {@code QueueBus::Heartbeat}, because that lock and that
 * timestamp are all that keeps Ruby and Java runners from publishing the same minute twice.
 *
 * <p>Catch-up follows queue-bus: each run publishes every minute since the stored one, for as long
 * as the lock lasts (a minute); in a development or test environment only the last
 * {@value #DEVELOPMENT_CATCH_UP_MINUTES} minutes, so a laptop that slept does not flood the bus.
 */
public final class Heartbeat {

	/** The event type subscribers match. */
	public static final String EVENT_TYPE = "heartbeat_minutes";

	/** How many missed minutes a development or test environment catches up, as queue-bus does. */
	public static final int DEVELOPMENT_CATCH_UP_MINUTES = 3;

	/** Ruby's {@code lock_seconds + 2}: the lock outlives the 60 s a run may take. */
	private static final long LOCK_SECONDS = 62;

	// Ruby reads both keys with String#to_i, which takes leading digits and yields 0 for garbage.
	private static final Pattern LEADING_INTEGER = Pattern.compile("^\\s*([+-]?\\d+)");

	private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

	private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

	private final BusRedis redis;

	private final BusSettings settings;

	private final BusOperations bus;

	private final ZoneId zone;

	private final boolean development;

	/**
	 * A heartbeat that catches up every missed minute.
	 * @param redis where the lock and the timestamp live
	 * @param settings keys and clock
	 * @param bus publishes the events; a {@code BusTemplate} in production
	 * @param zone the zone of the calendar fields; must equal the {@code TZ} of any Ruby runner
	 */
	public Heartbeat(BusRedis redis, BusSettings settings, BusOperations bus, ZoneId zone) {
		this(redis, settings, bus, zone, false);
	}

	/**
	 * @param development whether only the last {@value #DEVELOPMENT_CATCH_UP_MINUTES} missed
	 * minutes are caught up (see {@link #isDevelopment(String)})
	 */
	public Heartbeat(BusRedis redis, BusSettings settings, BusOperations bus, ZoneId zone, boolean development) {
		this.redis = redis;
		this.settings = settings;
		this.bus = bus;
		this.zone = zone;
		this.development = development;
	}

	/**
	 * The environment name as queue-bus reads it: {@code RAILS_ENV}, else {@code RACK_ENV}, else
	 * {@code BUS_ENV} (a set but empty variable counts, as in Ruby).
	 * @param env looks up an environment variable, e.g. {@code System::getenv}
	 */
	public static @Nullable String rubyEnvironment(Function<String, @Nullable String> env) {
		for (String name : new String[] { "RAILS_ENV", "RACK_ENV", "BUS_ENV" }) {
			String value = env.apply(name);
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	/** Whether queue-bus limits catching up in this environment: {@code development} or {@code test}. */
	public static boolean isDevelopment(@Nullable String environment) {
		return "development".equals(environment) || "test".equals(environment);
	}

	/**
	 * Runs the heartbeat once.
	 * @return how many {@code heartbeat_minutes} events were published; 0 when another runner
	 * holds the lock or no minute is due
	 */
	public int beat() {
		long now = this.settings.epochSecond();
		long lockedUntil = now + LOCK_SECONDS;
		if (!lock(now, lockedUntil)) {
			// Ruby returns without unlocking: the lock is someone else's.
			return 0;
		}
		int published;
		try {
			published = publishDueMinutes(lockedUntil - 2);
		}
		catch (RuntimeException ex) {
			// Ruby would leave the lock and skip the next minute's run; releasing it lets that run
			// backfill. Both keys stay exactly as Ruby leaves them on success.
			try {
				unlock();
			}
			catch (RuntimeException unlockFailure) {
				ex.addSuppressed(unlockFailure);
			}
			throw ex;
		}
		unlock();
		return published;
	}

	private boolean lock(long now, long lockedUntil) {
		byte[] key = BusRedis.bytes(this.settings.keys().heartbeatLock());
		byte[] value = BusRedis.bytes(Long.toString(lockedUntil));
		return this.redis.execute((connection) -> {
			if (Boolean.TRUE.equals(connection.stringCommands().setNX(key, value))) {
				return true;
			}
			if (now <= toI(connection.stringCommands().get(key))) {
				return false;
			}
			// The lock has expired; of all runners racing to renew it, only the one whose GETSET
			// still sees the expired value has it.
			return toI(connection.stringCommands().getSet(key, value)) < now;
		});
	}

	private int publishDueMinutes(long runUntil) {
		BusKeys keys = this.settings.keys();
		byte[] timestampKey = BusRedis.bytes(keys.heartbeatTimestamp());
		int published = 0;
		long now;
		// Re-reading the clock bounds a long backfill to the lock's lifetime, as in Ruby.
		while ((now = this.settings.epochSecond()) < runUntil) {
			long minute = Math.floorDiv(now, 60);
			byte[] last = this.redis.execute((connection) -> connection.stringCommands().get(timestampKey));
			if (last != null) {
				long lastMinute = toI(last);
				if (this.development) {
					lastMinute = Math.max(lastMinute, minute - DEVELOPMENT_CATCH_UP_MINUTES);
				}
				if (minute <= lastMinute) {
					break;
				}
				minute = lastMinute + 1;
			}
			this.bus.publish(EVENT_TYPE, attributes(minute));
			byte[] value = BusRedis.bytes(Long.toString(minute));
			this.redis.execute((connection) -> connection.stringCommands().set(timestampKey, value));
			published++;
		}
		return published;
	}

	/** The event's attributes in Ruby's order; subscribers match on them as strings. */
	private Map<String, Object> attributes(long minute) {
		long seconds = minute * 60;
		ZonedDateTime time = Instant.ofEpochSecond(seconds).atZone(this.zone);
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("epoch_seconds", seconds);
		attributes.put("epoch_minutes", minute);
		attributes.put("epoch_hours", Math.floorDiv(minute, 60));
		attributes.put("epoch_days", Math.floorDiv(minute, 60 * 24));
		attributes.put("minute", time.getMinute());
		attributes.put("hour", time.getHour());
		attributes.put("day", time.getDayOfMonth());
		attributes.put("month", time.getMonthValue());
		attributes.put("year", time.getYear());
		attributes.put("yday", time.getDayOfYear());
		attributes.put("wday", time.getDayOfWeek().getValue() % 7);
		return attributes;
	}

	private void unlock() {
		byte[] key = BusRedis.bytes(this.settings.keys().heartbeatLock());
		this.redis.execute((connection) -> connection.keyCommands().del(key));
	}

	private static long toI(byte @Nullable [] value) {
		if (value == null) {
			return 0;
		}
		Matcher matcher = LEADING_INTEGER.matcher(BusRedis.string(value));
		if (!matcher.find()) {
			return 0;
		}
		return new BigInteger(matcher.group(1)).max(LONG_MIN).min(LONG_MAX).longValue();
	}

}
