package io.resquebus.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;

/**
 * The ceiling: a two-hop bus built by hand on Lettuce, as fast as one can reasonably make it.
 * Publishers push JSON events (pipelined when asynchronous); each app runs a driver that moves up
 * to 100 incoming events at a time to its in-flight list with one Lua script, parses each to
 * route it by event type, pushes each app's share with one multi-value push and acks the batch;
 * each app's worker moves up to 100 of its jobs to its in-flight list the same way, handles them
 * and acks the batch. Idle loops block for at most a second.
 * <p>
 * Run a second time with the bus's bytes: the publisher pushes the Resque job the bus publishes for
 * the event, the driver reads it and pushes a rider job per app, the worker reads those, all with
 * the bus's codec. Its figures against the plain run are what the wire format costs; the bus's
 * against it, what the bus's own machinery costs (size checks, acknowledgements Ruby reads, worker
 * registry, wake-ups, Spring).
 */
final class LettuceContender implements Contender {

	private static final String PREFIX = "ceil:";

	private static final int BATCH = 100;

	/** Moves up to ARGV[1] items from KEYS[1] to the in-flight list KEYS[2]; returns the in-flight list. */
	private static final String MOVE = """
			local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
			if #items > 0 then
			  redis.call('LTRIM', KEYS[1], #items, -1)
			  redis.call('RPUSH', KEYS[2], unpack(items))
			end
			return redis.call('LRANGE', KEYS[2], 0, -1)
			""";

	private static final ObjectMapper JSON = new ObjectMapper();

	/** As the bus's default {@code resquebus.hostname}. */
	private static final String HOSTNAME = hostname();

	private static final Rider NOISE = new Rider("noise",
			new SubscriptionEntry("noise_default", "noise", "QueueBus::Rider", Map.of()));

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> publisher;

	private final String moveSha;

	/** Event type to the queues of the apps subscribed to it. */
	private final Map<String, List<String>> routes = new ConcurrentHashMap<>();

	private final List<String> appQueues = new CopyOnWriteArrayList<>();

	private final List<Loop> loops = new ArrayList<>();

	private volatile boolean running = true;

	/** With the bus's bytes: Resque jobs as the bus publishes, drives and works them; else plain JSON events. */
	private final @Nullable WireCodec wire;

	/** Each app queue's app and subscription, for its rider jobs (with the bus's bytes). */
	private final Map<String, Rider> riders = new ConcurrentHashMap<>();

	private final String prefix;

	private final String incoming;

	LettuceContender(String host, int port) {
		this(host, port, false);
	}

	/**
	 * @param busBytes whether the jobs are the bus's: publisher, driver and worker write and read them
	 * with the bus's codec (so the same bytes and JSON work), in the same hand-built loops
	 */
	LettuceContender(String host, int port, boolean busBytes) {
		this.wire = busBytes ? new WireCodec() : null;
		this.prefix = busBytes ? "ceilwire:" : PREFIX;
		this.incoming = this.prefix + "incoming";
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.publisher = this.client.connect();
		this.moveSha = this.publisher.sync().scriptLoad(MOVE);
		this.routes.put(BenchEvent.TYPE, this.appQueues);
	}

	@Override
	public String name() {
		return (this.wire != null) ? "Lettuce ceiling, bus bytes" : "Lettuce ceiling";
	}

	@Override
	public void scaleTo(int apps) {
		while (this.appQueues.size() < apps) {
			int app = this.appQueues.size();
			String queue = this.prefix + "queue:app_" + app;
			String name = (this.wire != null) ? "ceilwire-" : "ceil-";
			this.riders.put(queue, new Rider("app_" + app, new SubscriptionEntry("app_" + app + "_default",
					"app_" + app + "_bench", "QueueBus::Rider", Map.of("bus_event_type", BenchEvent.TYPE))));
			start(new Loop(name + "driver-" + app, this.incoming, this.prefix + "inflight:driver_" + app, this::drive));
			start(new Loop(name + "worker-" + app, queue, this.prefix + "inflight:worker_" + app, this::work));
			this.appQueues.add(queue);
		}
	}

	@Override
	public void publish(BenchEvent event) {
		this.publisher.sync().rpush(this.incoming, json(event));
	}

	@Override
	public void publishAll(List<BenchEvent> events) {
		String[] values = new String[events.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = json(events.get(i));
		}
		this.publisher.sync().rpush(this.incoming, values);
	}

	@Override
	public CompletableFuture<?> publishAsync(BenchEvent event) {
		return this.publisher.async().rpush(this.incoming, json(event)).toCompletableFuture();
	}

	@Override
	public boolean routesByRegistry() {
		return true;
	}

	@Override
	public void noise(int subscriptions) {
		this.routes.keySet().removeIf((type) -> type.startsWith("noise_"));
		for (int i = 0; i < subscriptions; i++) {
			this.routes.put("noise_" + i, List.of(this.prefix + "queue:noise"));
		}
	}

	@Override
	public void close() {
		this.running = false;
		for (Loop loop : this.loops) {
			try {
				loop.thread.join(3000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.publisher.close();
		this.client.shutdown();
	}

	private void start(Loop loop) {
		this.loops.add(loop);
		loop.thread.start();
	}

	/** Routes a batch: one multi-value push per app. */
	private List<RedisFuture<?>> drive(List<String> items, RedisAsyncCommands<String, String> async) {
		Map<String, List<String>> perQueue = new HashMap<>();
		long now = System.currentTimeMillis() / 1000;
		WireCodec wire = this.wire;
		for (String item : items) {
			BusJob job = (wire != null) ? wire.parseJob(item) : null;
			String type = (job != null) ? job.eventType() : parse(item).path("type").asText();
			for (String queue : this.routes.getOrDefault(type, List.of())) {
				Rider app = this.riders.getOrDefault(queue, NOISE);
				String rider = (wire != null && job != null) ? wire.riderJob(job, now, app.appKey(), app.subscription())
						: item;
				perQueue.computeIfAbsent(queue, (q) -> new ArrayList<>()).add(rider);
			}
		}
		List<RedisFuture<?>> pushes = new ArrayList<>(perQueue.size());
		perQueue.forEach((queue, jobs) -> pushes.add(async.rpush(queue, jobs.toArray(String[]::new))));
		return pushes;
	}

	private List<RedisFuture<?>> work(List<String> items, RedisAsyncCommands<String, String> async) {
		WireCodec wire = this.wire;
		for (String item : items) {
			Probe.delivered((wire != null) ? ((Number) wire.parseJob(item).event().getOrDefault("t", -1L)).longValue()
					: parse(item).path("t").asLong());
		}
		return List.of();
	}

	private String json(BenchEvent event) {
		if (this.wire != null) {
			// What BusTemplate writes for the event: the bus's attributes, then the event's, as a Resque job.
			return this.wire.job(Events.published(System.currentTimeMillis() / 1000, BenchEvent.TYPE,
					UUID.randomUUID().toString(), HOSTNAME, Map.of(), event.attributes(), JobClasses.DRIVER));
		}
		Map<String, Object> json = new java.util.LinkedHashMap<>();
		json.put("type", BenchEvent.TYPE);
		json.putAll(event.attributes());
		try {
			return JSON.writeValueAsString(json);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String hostname() {
		try {
			return java.net.InetAddress.getLocalHost().getHostName();
		}
		catch (java.net.UnknownHostException ex) {
			return "localhost";
		}
	}

	private static JsonNode parse(String item) {
		try {
			return JSON.readTree(item);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Rider(String appKey, SubscriptionEntry subscription) {
	}

	interface Handler {

		/** Handles a batch; returns the pushes to wait for before the batch is acked. */
		List<RedisFuture<?>> handle(List<String> items, RedisAsyncCommands<String, String> async);

	}

	/** A driver or worker: its own connection, a batch move, the handler, a batch ack. */
	private final class Loop implements Runnable {

		private final Thread thread;

		private final String source;

		private final String inflight;

		private final Handler handler;

		Loop(String name, String source, String inflight, Handler handler) {
			this.thread = new Thread(this, name);
			this.thread.setDaemon(true);
			this.source = source;
			this.inflight = inflight;
			this.handler = handler;
		}

		@Override
		public void run() {
			try (StatefulRedisConnection<String, String> connection = LettuceContender.this.client.connect()) {
				RedisCommands<String, String> sync = connection.sync();
				RedisAsyncCommands<String, String> async = connection.async();
				String[] keys = { this.source, this.inflight };
				while (LettuceContender.this.running) {
					List<String> items = sync.evalsha(LettuceContender.this.moveSha, ScriptOutputType.MULTI, keys,
							Integer.toString(BATCH));
					if (items.isEmpty()) {
						sync.brpoplpush(1, this.source, this.inflight);
						continue;
					}
					List<RedisFuture<?>> pending = new ArrayList<>(this.handler.handle(items, async));
					pending.add(async.del(this.inflight));
					awaitAll(pending);
				}
			}
		}

		private static void awaitAll(List<RedisFuture<?>> futures) {
			if (!LettuceFutures.awaitAll(10, TimeUnit.SECONDS, futures.toArray(RedisFuture[]::new))) {
				throw new IllegalStateException("Redis did not answer in 10 s");
			}
		}

	}

}
