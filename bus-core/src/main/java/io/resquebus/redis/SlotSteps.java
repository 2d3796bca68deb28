package io.resquebus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Cluster mode's single-slot steps. What one script does atomically on a single Redis touches keys
 * of several hash slots, which a cluster refuses; in cluster mode the bus sends it instead as an
 * ordered sequence of steps, each on one key (or one slot), ordered so that a crash between two steps
 * repeats work (at least once) and never loses any: what is pushed comes before what is removed.
 */
public final class SlotSteps {

	private static final BusScript STEP = BusScript.load("step");

	private static final BusScript POP_HEAD = BusScript.load("pop-head");

	private static final BusScript FAILED_TRIM = BusScript.load("failed-trim");

	/** Most arguments one step passes on: Lua's unpack is bounded by its C stack (8000). */
	static final int MAX_ARGS = 1000;

	private SlotSteps() {
	}

	/** Runs one command on one key: {@code command key args...}. */
	public static @Nullable Object call(RedisConnection connection, String key, String command, String... args) {
		List<String> all = new ArrayList<>(args.length + 1);
		all.add(command);
		all.addAll(List.of(args));
		List<@Nullable Object> reply = BusRedis.run(connection, STEP, List.of(key), all);
		return reply.isEmpty() ? null : reply.get(0);
	}

	/** Runs one command on one key whose other arguments are bytes (jobs exactly as fetched). */
	public static List<@Nullable Object> callBytes(RedisConnection connection, String key, String command,
			List<byte[]> args) {
		List<byte[]> all = new ArrayList<>(args.size() + 1);
		all.add(BusRedis.bytes(command));
		all.addAll(args);
		return BusRedis.runBytes(connection, STEP, List.of(key), all);
	}

	/** Runs one command on one key, waiting at most {@code timeout} (see {@link BusRedis#run(BusScript, List, List, Duration)}). */
	public static @Nullable Object call(BusRedis redis, Duration timeout, String key, String command,
			List<String> args) {
		List<String> all = new ArrayList<>(args.size() + 1);
		all.add(command);
		all.addAll(args);
		List<@Nullable Object> reply = redis.run(STEP, List.of(key), all, timeout);
		return reply.isEmpty() ? null : reply.get(0);
	}

	/** As Resque.push does it, in two steps: the queue is registered, then the jobs are pushed. */
	public static void enqueue(RedisConnection connection, BusKeys keys, String queue, List<byte[]> jobs) {
		if (jobs.isEmpty()) {
			return;
		}
		call(connection, keys.queues(), "SADD", queue);
		for (int i = 0; i < jobs.size(); i += MAX_ARGS) {
			callBytes(connection, keys.queue(queue), "RPUSH", jobs.subList(i, Math.min(jobs.size(), i + MAX_ARGS)));
		}
	}

	/** As {@link #enqueue(RedisConnection, BusKeys, String, List)}, waiting at most {@code timeout} per step. */
	public static void enqueue(BusRedis redis, Duration timeout, BusKeys keys, String queue, List<String> jobs) {
		if (jobs.isEmpty()) {
			return;
		}
		call(redis, timeout, keys.queues(), "SADD", List.of(queue));
		for (int i = 0; i < jobs.size(); i += MAX_ARGS) {
			call(redis, timeout, keys.queue(queue), "RPUSH", jobs.subList(i, Math.min(jobs.size(), i + MAX_ARGS)));
		}
	}

	/**
	 * Schedules a delayed item in resque-scheduler's layout in three steps, the schedule entry last,
	 * so a scheduler never finds a due time whose list is not written yet.
	 */
	public static void delay(RedisConnection connection, BusKeys keys, long due, String item) {
		String ts = Long.toString(due);
		call(connection, keys.delayed(due), "RPUSH", item);
		call(connection, keys.timestamps(item), "SADD", BusKeys.delayedMember(due));
		call(connection, keys.delayedSchedule(), "ZADD", ts, ts);
	}

	/** As {@link #delay(RedisConnection, BusKeys, long, String)}, waiting at most {@code timeout} per step. */
	public static void delay(BusRedis redis, Duration timeout, BusKeys keys, long due, String item) {
		String ts = Long.toString(due);
		call(redis, timeout, keys.delayed(due), "RPUSH", List.of(item));
		call(redis, timeout, keys.timestamps(item), "SADD", List.of(BusKeys.delayedMember(due)));
		call(redis, timeout, keys.delayedSchedule(), "ZADD", List.of(ts, ts));
	}

	/**
	 * Removes the head of a list if it is still {@code value}.
	 * @return how many entries are left, or -1 when the head was another value
	 */
	public static long popHead(RedisConnection connection, String list, String value) {
		List<@Nullable Object> reply = BusRedis.run(connection, POP_HEAD, List.of(list), List.of(value));
		return (!reply.isEmpty() && reply.get(0) instanceof Number left) ? left.longValue() : -1;
	}

	/** Adds to counters, one step each. */
	public static void increment(RedisConnection connection, long by, String... counters) {
		if (by <= 0) {
			return;
		}
		for (String counter : counters) {
			call(connection, counter, "INCRBY", Long.toString(by));
		}
	}

	/** Deletes keys, one step each (a multi-key {@code DEL} crosses slots). */
	public static void delete(RedisConnection connection, List<String> keys) {
		for (String key : keys) {
			call(connection, key, "DEL");
		}
	}

	/**
	 * Keeps the failed list within at most {@code max} entries and {@code maxBytes} of memory (0: no
	 * limit), the oldest going first, the newest always staying.
	 * @return how many entries went
	 */
	public static long trimFailed(RedisConnection connection, BusKeys keys, long max, long maxBytes) {
		if (max <= 0 && maxBytes <= 0) {
			return 0;
		}
		List<@Nullable Object> reply = BusRedis.run(connection, FAILED_TRIM, List.of(keys.failed()),
				List.of(Long.toString(Math.max(0, max)), Long.toString(Math.max(0, maxBytes))));
		return (!reply.isEmpty() && reply.get(0) instanceof Number n) ? n.longValue() : 0;
	}

}
