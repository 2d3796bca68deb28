package io.resquebus.inspect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;

/**
 * Reads what operators look at: queue depths and the age of each queue's oldest job, Resque's
 * workers, the delayed schedule. Every method costs a fixed number of round trips, whatever the
 * sizes: pages are capped at {@link #MAX_PAGE_SIZE} and sets are walked with {@code SSCAN}. Every
 * read waits at most the timeout for Redis (with Lettuce, whatever the client's own command
 * timeout) and then fails with a {@link io.resquebus.redis.RedisCallTimeoutException}, so that an
 * outage never holds a health check or a web thread longer; and a job larger than
 * {@link #MAX_VALUE_BYTES} (a queue's head or page, a delayed item, a worker's current job) never
 * leaves Redis whole.
 */
public final class BusInspector {

	/** The largest page any method returns. */
	public static final int MAX_PAGE_SIZE = 200;

	/** How long a read waits for Redis unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/** The most bytes of one job a read brings back: a larger worker's job is cut, a larger head not sent. */
	public static final int MAX_VALUE_BYTES = 16 * 1024;

	private static final BusScript QUEUE_HEADS = BusScript.load("queue-heads");

	private static final BusScript QUEUE_NAMES = BusScript.load("queue-names");

	private static final BusScript SCHEDULE_HEAD = BusScript.load("schedule-head");

	private static final BusScript SET_PAGE = BusScript.load("set-page");

	private static final BusScript WORKERS_INFO = BusScript.load("workers-info");

	private static final BusScript TOTALS = BusScript.load("totals");

	private static final BusScript COUNT_EXISTING = BusScript.load("count-existing");

	private static final BusScript LIST_PAGES = BusScript.load("list-pages");

	private static final BusScript SCHEDULE_PAGE = BusScript.load("schedule-page");

	private final BusRedis redis;

	private final BusSettings settings;

	private final Duration timeout;

	/**
	 * @param timeout how long a read waits for Redis, positive
	 */
	public BusInspector(BusRedis redis, BusSettings settings, Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("Timeout must be positive, was " + timeout);
		}
		this.redis = redis;
		this.settings = settings;
		this.timeout = timeout;
	}

	/** An inspector whose reads wait at most {@link #DEFAULT_TIMEOUT}. */
	public BusInspector(BusRedis redis, BusSettings settings) {
		this(redis, settings, DEFAULT_TIMEOUT);
	}

	/** Where Redis is, for messages. */
	public String redisAddress() {
		return this.redis.describe();
	}

	/** How long a read waits for Redis. */
	public Duration timeout() {
		return this.timeout;
	}

	/** A page size within {@code 1..MAX_PAGE_SIZE}; {@code null} or less than 1 gives the default. */
	public static int pageSize(@Nullable Integer requested, int defaultSize) {
		int size = (requested == null || requested < 1) ? defaultSize : requested;
		return Math.min(size, MAX_PAGE_SIZE);
	}

	/** Names in Resque's {@code queues} set, sorted (the set holds one entry per queue, so it stays small). */
	public List<String> queueNames() {
		Set<String> names = new TreeSet<>();
		this.redis.run(QUEUE_NAMES, List.of(keys().queues()), List.of(), this.timeout)
			.forEach((member) -> names.add(String.valueOf(member)));
		return new ArrayList<>(names);
	}

	/**
	 * Depth and oldest-job age of queues, in one round trip.
	 * @param queueNames at most {@link #MAX_PAGE_SIZE} names (more are ignored)
	 */
	public List<QueueDepth> depths(List<String> queueNames) {
		List<String> names = queueNames.subList(0, Math.min(queueNames.size(), MAX_PAGE_SIZE));
		if (names.isEmpty()) {
			return List.of();
		}
		List<@Nullable Object> reply = perKey(QUEUE_HEADS, names.stream().map(keys()::queue).toList(),
				List.of(Integer.toString(MAX_VALUE_BYTES)));
		long now = this.settings.clock().instant().getEpochSecond();
		List<QueueDepth> depths = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			long depth = ((Number) reply.get(3 * i)).longValue();
			Long enqueuedAt = enqueuedAt((String) reply.get(3 * i + 1), (String) reply.get(3 * i + 2));
			depths.add(new QueueDepth(names.get(i), depth,
					(enqueuedAt != null) ? Math.max(0, now - enqueuedAt) : null));
		}
		return depths;
	}

	/**
	 * One page of Resque's {@code workers} set (Java and Ruby workers alike), with each worker's
	 * heartbeat, start time and current job; two round trips.
	 * @param cursor {@code "0"} for the first page, else the cursor of the previous page
	 * @param count a hint for the page size, at most {@link #MAX_PAGE_SIZE}
	 */
	public WorkerPage workers(String cursor, int count) {
		List<@Nullable Object> page = this.redis.run(SET_PAGE, List.of(keys().workers()),
				List.of(cursor, Integer.toString(Math.max(1, Math.min(count, MAX_PAGE_SIZE)))), this.timeout);
		String next = String.valueOf(page.get(0));
		List<String> ids = new ArrayList<>(new TreeSet<>(page.subList(1, page.size()).stream().map(String::valueOf).toList()));
		if (ids.isEmpty()) {
			return new WorkerPage(next, List.of());
		}
		List<String> workerKeys = new ArrayList<>();
		workerKeys.add(keys().workersHeartbeat());
		for (String id : ids) {
			workerKeys.add(keys().worker(id));
			workerKeys.add(keys().workerStarted(id));
		}
		List<String> args = new ArrayList<>(ids.size() + 1);
		args.add(Integer.toString(MAX_VALUE_BYTES));
		args.addAll(ids);
		List<@Nullable Object> info = this.redis.cluster() ? workersInfoInSteps(ids)
				: this.redis.run(WORKERS_INFO, workerKeys, args, this.timeout);
		List<WorkerInfo> workers = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			workers.add(new WorkerInfo(ids.get(i), blankToNull(info.get(3 * i)), blankToNull(info.get(3 * i + 2)),
					job(blankToNull(info.get(3 * i + 1)))));
		}
		return new WorkerPage(next, workers);
	}

	/** How many timestamps the delayed schedule holds and the earliest one; one round trip. */
	public Schedule schedule() {
		List<@Nullable Object> reply = this.redis.run(SCHEDULE_HEAD, List.of(keys().delayedSchedule()), List.of(),
				this.timeout);
		long timestamps = (reply.get(0) instanceof Number count) ? count.longValue() : 0;
		String first = String.valueOf(reply.get(1));
		Long next = first.isEmpty() ? null : (long) Double.parseDouble(first);
		return new Schedule(timestamps, next);
	}

	/**
	 * The figures of the dashboard's overview in two round trips (one script, then one
	 * {@code EXISTS} over the sampled workers' job keys): Resque's stats, the failed and worker
	 * counts, how many of at most {@code workerSample} workers are busy, the heartbeat minute,
	 * {@code pause-all-workers}, and Redis's version and memory.
	 */
	public Totals totals(int workerSample) {
		BusKeys keys = keys();
		List<@Nullable Object> reply = this.redis.cluster() ? totalsInSteps(keys, workerSample) : this.redis.run(TOTALS,
				List.of(keys.statProcessed(), keys.statFailed(), keys.failed(), keys.workers(),
						keys.heartbeatTimestamp(), keys.pauseAllWorkers()),
				List.of(Integer.toString(Math.max(1, workerSample))), this.timeout);
		List<String> sample = reply.subList(8, reply.size()).stream().map(String::valueOf).toList();
		long busy = 0;
		if (!sample.isEmpty()) {
			List<@Nullable Object> existing = perKey(COUNT_EXISTING, sample.stream().map(keys::worker).toList(),
					List.of());
			busy = existing.stream().mapToLong(BusInspector::number).sum();
		}
		String paused = text(reply.get(5));
		return new Totals(number(reply.get(0)), number(reply.get(1)), number(reply.get(2)), number(reply.get(3)),
				sample.size(), busy, blankToNull(reply.get(4)), paused != null && paused.strip().equalsIgnoreCase("true"),
				blankToNull(reply.get(6)), blankToNull(reply.get(7)));
	}

	/**
	 * A page of a queue's jobs, head (next to run) first, with the queue's length; one round trip.
	 * A job larger than {@link #MAX_VALUE_BYTES} comes back cut, with its full size.
	 * @param size at most {@link #MAX_PAGE_SIZE}
	 */
	public QueuePage peek(String queueName, long offset, int size) {
		long from = Math.max(0, offset);
		int count = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
		ListPage page = listPages(List.of(keys().queue(queueName)), from, count).get(0);
		return new QueuePage(queueName, page.length(), from, page.values());
	}

	/**
	 * A page of the delayed schedule, earliest first: each due time with up to {@code itemsEach}
	 * of its items (each cut to {@link #MAX_VALUE_BYTES}) and how many it holds; two round trips.
	 */
	public List<DelayedSlot> delayed(long offset, int size, int itemsEach) {
		long from = Math.max(0, offset);
		int count = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
		List<String> timestamps = this.redis.run(SCHEDULE_PAGE, List.of(keys().delayedSchedule()),
				List.of(Long.toString(from), Long.toString(from + count - 1)), this.timeout)
			.stream()
			.map(String::valueOf)
			.toList();
		if (timestamps.isEmpty()) {
			return List.of();
		}
		int each = Math.max(1, Math.min(itemsEach, MAX_PAGE_SIZE));
		List<ListPage> pages = listPages(timestamps.stream().map(keys()::delayed).toList(), 0, each);
		List<DelayedSlot> result = new ArrayList<>();
		for (int i = 0; i < timestamps.size(); i++) {
			result.add(new DelayedSlot(timestamps.get(i), pages.get(i).length(), pages.get(i).values()));
		}
		return result;
	}

	/**
	 * Runs a read-only script whose reply is its keys' replies one after the other; on a cluster
	 * once per key (one slot each), the replies joined.
	 */
	private List<@Nullable Object> perKey(BusScript script, List<String> keys, List<String> args) {
		if (!this.redis.cluster()) {
			return this.redis.run(script, keys, args, this.timeout);
		}
		List<@Nullable Object> reply = new ArrayList<>();
		for (String key : keys) {
			reply.addAll(this.redis.run(script, List.of(key), args, this.timeout));
		}
		return reply;
	}

	/** What workers-info.lua returns, one key at a time (cluster mode). */
	private List<@Nullable Object> workersInfoInSteps(List<String> ids) {
		BusKeys keys = keys();
		return this.redis.execute((connection) -> {
			List<@Nullable Object> info = new ArrayList<>();
			for (String id : ids) {
				info.add(orBlank(SlotSteps.call(connection, keys.workersHeartbeat(), "HGET", id)));
				info.add(orBlank(SlotSteps.call(connection, keys.worker(id), "GETRANGE", "0",
						Integer.toString(MAX_VALUE_BYTES - 1))));
				info.add(orBlank(SlotSteps.call(connection, keys.workerStarted(id), "GET")));
			}
			return info;
		});
	}

	/** What totals.lua returns, one key at a time (cluster mode); Redis's version and memory from one node. */
	private List<@Nullable Object> totalsInSteps(BusKeys keys, int workerSample) {
		return this.redis.execute((connection) -> {
			List<@Nullable Object> out = new ArrayList<>();
			out.add(orBlank(SlotSteps.call(connection, keys.statProcessed(), "GET")));
			out.add(orBlank(SlotSteps.call(connection, keys.statFailed(), "GET")));
			out.add(SlotSteps.call(connection, keys.failed(), "LLEN"));
			out.add(SlotSteps.call(connection, keys.workers(), "SCARD"));
			out.add(orBlank(SlotSteps.call(connection, keys.heartbeatTimestamp(), "GET")));
			out.add(orBlank(SlotSteps.call(connection, keys.pauseAllWorkers(), "GET")));
			out.add(infoField(connection.serverCommands().info("server"), "redis_version"));
			out.add(infoField(connection.serverCommands().info("memory"), "used_memory_human"));
			out.addAll(SlotSteps.callBytes(connection, keys.workers(), "SRANDMEMBER",
					List.of(BusRedis.bytes(Integer.toString(Math.max(1, workerSample)))))
				.stream()
				.flatMap((reply) -> (reply instanceof List<?> ids) ? ids.stream() : java.util.stream.Stream.of(reply))
				.map((id) -> (id instanceof byte[] bytes) ? BusRedis.string(bytes) : id)
				.toList());
			return out;
		});
	}

	/** A field of INFO; a cluster connection prefixes each with its node ({@code host:port.field}). */
	private static String infoField(java.util.@Nullable Properties info, String field) {
		if (info == null) {
			return "";
		}
		for (String name : info.stringPropertyNames()) {
			if (name.equals(field) || name.endsWith("." + field)) {
				return info.getProperty(name);
			}
		}
		return "";
	}

	private static Object orBlank(@Nullable Object value) {
		return (value != null) ? value : "";
	}

	/** Up to {@code count} values from {@code from} of each list, cut in Redis; one round trip. */
	private List<ListPage> listPages(List<String> lists, long from, int count) {
		List<@Nullable Object> reply = perKey(LIST_PAGES, lists,
				List.of(Long.toString(from), Long.toString(from + count - 1), Integer.toString(MAX_VALUE_BYTES)));
		List<ListPage> pages = new ArrayList<>();
		int at = 0;
		for (int i = 0; i < lists.size(); i++) {
			long length = number(reply.get(at++));
			long n = number(reply.get(at++));
			List<Value> values = new ArrayList<>();
			for (long j = 0; j < n; j++) {
				long bytes = number(reply.get(at++));
				values.add(new Value(String.valueOf(reply.get(at++)), bytes, bytes > MAX_VALUE_BYTES));
			}
			pages.add(new ListPage(length, values));
		}
		return pages;
	}

	private static @Nullable String text(@Nullable Object reply) {
		return (reply instanceof byte[] bytes) ? BusRedis.string(bytes) : (reply != null) ? reply.toString() : null;
	}

	private static long number(@Nullable Object reply) {
		String value = text(reply);
		try {
			return (value != null) ? Long.parseLong(value.strip()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private @Nullable Long enqueuedAt(@Nullable String head, @Nullable String readInRedis) {
		if (readInRedis != null && !readInRedis.isEmpty()) {
			return Long.parseLong(readInRedis);
		}
		if (head == null || head.isEmpty()) {
			return null;
		}
		try {
			BusJob job = this.settings.codec().parseJob(head);
			Object at = job.event().get(BusAttributes.DRIVEN_AT);
			if (!(at instanceof Number)) {
				at = job.event().get(BusAttributes.PUBLISHED_AT);
			}
			return (at instanceof Number number) ? number.longValue() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private @Nullable Object job(@Nullable String json) {
		if (json == null) {
			return null;
		}
		try {
			return this.settings.codec().readObject(json);
		}
		catch (RuntimeException ex) {
			return json;
		}
	}

	private static @Nullable String blankToNull(@Nullable Object value) {
		return (value == null || value.toString().isEmpty()) ? null : value.toString();
	}

	/** The keys read, with the partitions of {@code bus_incoming}. */
	public BusKeys keys() {
		return this.settings.keys();
	}

	/**
	 * A queue's depth.
	 * @param name the queue's name
	 * @param depth jobs waiting
	 * @param oldestAgeSeconds seconds since the head job was driven (or published), if it says
	 */
	public record QueueDepth(String name, long depth, @Nullable Long oldestAgeSeconds) {
	}

	/**
	 * A Resque worker as its keys describe it.
	 * @param id {@code host:pid:queues}
	 * @param heartbeat its last heartbeat, as stored
	 * @param started when it started, as stored
	 * @param job what it works on (Resque's {@code worker:<id>} JSON), if anything
	 */
	public record WorkerInfo(String id, @Nullable String heartbeat, @Nullable String started, @Nullable Object job) {
	}

	/**
	 * A page of workers.
	 * @param cursor the cursor of the next page; {@code "0"} when this was the last
	 */
	public record WorkerPage(String cursor, List<WorkerInfo> workers) {
	}

	/**
	 * What the dashboard's overview counts.
	 * @param processed Resque's {@code stat:processed}
	 * @param failedTotal Resque's {@code stat:failed} (failures ever)
	 * @param failedCount entries in the failed list now
	 * @param workers registered workers
	 * @param sampled how many of them were checked for a current job (all, unless many)
	 * @param busy how many of the sampled ones work on a job
	 * @param heartbeat the last heartbeat minute (epoch minutes), as stored
	 * @param pausedAll whether Resque's {@code pause-all-workers} holds {@code true}
	 * @param redisVersion the server's version
	 * @param usedMemory the server's memory use, human-readable
	 */
	public record Totals(long processed, long failedTotal, long failedCount, long workers, long sampled, long busy,
			@Nullable String heartbeat, boolean pausedAll, @Nullable String redisVersion,
			@Nullable String usedMemory) {
	}

	/**
	 * A job as a read brings it back.
	 * @param text the job as stored, or its first {@link #MAX_VALUE_BYTES} bytes when larger
	 * @param bytes its full size in bytes
	 * @param truncated whether {@code text} is cut
	 */
	public record Value(String text, long bytes, boolean truncated) {
	}

	/**
	 * A page of a queue.
	 * @param jobs the jobs, each cut to {@link #MAX_VALUE_BYTES}
	 */
	public record QueuePage(String name, long depth, long offset, List<Value> jobs) {
	}

	/**
	 * One due time of the delayed schedule.
	 * @param timestamp the due time (epoch seconds) as stored
	 * @param size items due then
	 * @param items the first items, each cut to {@link #MAX_VALUE_BYTES}
	 */
	public record DelayedSlot(String timestamp, long size, List<Value> items) {
	}

	private record ListPage(long length, List<Value> values) {
	}

	/**
	 * The delayed schedule.
	 * @param timestamps how many distinct due times hold delayed events
	 * @param next the earliest due time (epoch seconds), if any
	 */
	public record Schedule(long timestamps, @Nullable Long next) {
	}

}
