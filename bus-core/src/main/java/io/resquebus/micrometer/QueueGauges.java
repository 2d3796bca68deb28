package io.resquebus.micrometer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Gauges of the bus's backlog: {@code resquebus.queue.size{queue}} for every queue in Resque's
 * queue set and {@code resquebus.inflight.size}, the jobs Java consumers have taken and not
 * finished. One reading costs two pipelined round trips for all queues, and is cached for
 * {@code ttl}, so a scrape of every gauge reads Redis once. A queue that appears after binding gets
 * its gauge at the first reading that sees it. When Redis does not answer, the last reading stays.
 */
public final class QueueGauges implements MeterBinder {

	/** The name of the queue size gauges. */
	public static final String QUEUE_SIZE = "resquebus.queue.size";

	/** The name of the in-flight gauge. */
	public static final String INFLIGHT_SIZE = "resquebus.inflight.size";

	private static final Logger logger = LoggerFactory.getLogger(QueueGauges.class);

	private final BusRedis redis;

	private final BusKeys keys;

	private final Duration ttl;

	private final Clock clock;

	private final Set<String> registered = new TreeSet<>();

	private @Nullable MeterRegistry registry;

	private Snapshot snapshot = new Snapshot(Map.of(), 0, Long.MIN_VALUE / 2);

	public QueueGauges(BusRedis redis, BusKeys keys, Duration ttl, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.ttl = ttl;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		synchronized (this) {
			this.registry = registry;
		}
		Gauge.builder(INFLIGHT_SIZE, this, (gauges) -> gauges.snapshot().inflight())
			.description("Jobs Java consumers have taken and not finished")
			.register(registry);
	}

	/** The current reading, from Redis when the cached one is older than the ttl. */
	public synchronized Snapshot snapshot() {
		long now = this.clock.millis();
		if (now - this.snapshot.readAt() >= this.ttl.toMillis()) {
			try {
				this.snapshot = read(now);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not read the queue sizes: {}", ex.toString());
				this.snapshot = new Snapshot(this.snapshot.queues(), this.snapshot.inflight(), now);
			}
			registerNewQueues();
		}
		return this.snapshot;
	}

	private void registerNewQueues() {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		for (String queue : this.snapshot.queues().keySet()) {
			if (this.registered.add(queue)) {
				Gauge.builder(QUEUE_SIZE, this, (gauges) -> gauges.snapshot().queues().getOrDefault(queue, 0L))
					.description("Jobs waiting in a queue")
					.tag("queue", queue)
					.register(registry);
			}
		}
	}

	private Snapshot read(long now) {
		return this.redis.execute((connection) -> {
			List<Object> members = pipeline(connection, List.of(this.keys.queues(), this.keys.consumers()), true);
			List<String> queues = new ArrayList<>(new TreeSet<>(strings(members.get(0))));
			List<String> lengthKeys = new ArrayList<>();
			queues.forEach((queue) -> lengthKeys.add(this.keys.queue(queue)));
			for (String consumer : strings(members.get(1))) {
				OrphanRecovery.queuesOf(consumer)
					.forEach((queue) -> lengthKeys.add(this.keys.inflight(queue, consumer)));
			}
			List<Object> lengths = pipeline(connection, lengthKeys, false);
			Map<String, Long> sizes = new LinkedHashMap<>();
			for (int i = 0; i < queues.size(); i++) {
				sizes.put(queues.get(i), number(lengths.get(i)));
			}
			long inflight = 0;
			for (int i = queues.size(); i < lengths.size(); i++) {
				inflight += number(lengths.get(i));
			}
			return new Snapshot(sizes, inflight, now);
		});
	}

	private static List<Object> pipeline(RedisConnection connection, List<String> keys, boolean members) {
		if (keys.isEmpty()) {
			return List.of();
		}
		connection.openPipeline();
		for (String key : keys) {
			if (members) {
				connection.setCommands().sMembers(BusRedis.bytes(key));
			}
			else {
				connection.listCommands().lLen(BusRedis.bytes(key));
			}
		}
		return connection.closePipeline();
	}

	private static List<String> strings(@Nullable Object members) {
		List<String> strings = new ArrayList<>();
		if (members instanceof Iterable<?> values) {
			for (Object value : values) {
				strings.add((value instanceof byte[] bytes) ? BusRedis.string(bytes) : String.valueOf(value));
			}
		}
		return strings;
	}

	private static long number(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	/**
	 * One reading.
	 * @param queues the size of each queue in Resque's queue set, by name
	 * @param inflight the jobs in Java consumers' in-flight lists
	 * @param readAt when it was read, in epoch milliseconds
	 */
	public record Snapshot(Map<String, Long> queues, long inflight, long readAt) {
	}

}
