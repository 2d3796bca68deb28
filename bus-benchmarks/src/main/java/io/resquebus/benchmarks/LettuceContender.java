package io.resquebus.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * The ceiling: a two-hop bus built by hand on Lettuce, as fast as one can reasonably make it.
 * Publishers push JSON events (pipelined when asynchronous); each app runs a driver that moves up
 * to 100 incoming events at a time to its in-flight list with one Lua script, parses each to
 * route it by event type, pushes each app's share with one multi-value push and acks the batch;
 * each app's worker moves up to 100 of its jobs to its in-flight list the same way, handles them
 * and acks the batch. Idle loops block for at most a second.
 */
final class LettuceContender implements Contender {

	private static final String PREFIX = "ceil:";

	private static final String INCOMING = PREFIX + "incoming";

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

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> publisher;

	private final String moveSha;

	/** Event type to the queues of the apps subscribed to it. */
	private final Map<String, List<String>> routes = new ConcurrentHashMap<>();

	private final List<String> appQueues = new CopyOnWriteArrayList<>();

	private final List<Loop> loops = new ArrayList<>();

	private volatile boolean running = true;

	LettuceContender(String host, int port) {
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.publisher = this.client.connect();
		this.moveSha = this.publisher.sync().scriptLoad(MOVE);
		this.routes.put(BenchEvent.TYPE, this.appQueues);
	}

	@Override
	public String name() {
		return "Lettuce ceiling";
	}

	@Override
	public void scaleTo(int apps) {
		while (this.appQueues.size() < apps) {
			int app = this.appQueues.size();
			String queue = PREFIX + "queue:app_" + app;
			start(new Loop("ceil-driver-" + app, INCOMING, PREFIX + "inflight:driver_" + app, this::drive));
			start(new Loop("ceil-worker-" + app, queue, PREFIX + "inflight:worker_" + app, this::work));
			this.appQueues.add(queue);
		}
	}

	@Override
	public void publish(BenchEvent event) {
		this.publisher.sync().rpush(INCOMING, json(event));
	}

	@Override
	public void publishAll(List<BenchEvent> events) {
		String[] values = new String[events.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = json(events.get(i));
		}
		this.publisher.sync().rpush(INCOMING, values);
	}

	@Override
	public CompletableFuture<?> publishAsync(BenchEvent event) {
		return this.publisher.async().rpush(INCOMING, json(event)).toCompletableFuture();
	}

	@Override
	public boolean routesByRegistry() {
		return true;
	}

	@Override
	public void noise(int subscriptions) {
		this.routes.keySet().removeIf((type) -> type.startsWith("noise_"));
		for (int i = 0; i < subscriptions; i++) {
			this.routes.put("noise_" + i, List.of(PREFIX + "queue:noise"));
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
		for (String item : items) {
			String type = parse(item).path("type").asText();
			for (String queue : this.routes.getOrDefault(type, List.of())) {
				perQueue.computeIfAbsent(queue, (q) -> new ArrayList<>()).add(item);
			}
		}
		List<RedisFuture<?>> pushes = new ArrayList<>(perQueue.size());
		perQueue.forEach((queue, jobs) -> pushes.add(async.rpush(queue, jobs.toArray(String[]::new))));
		return pushes;
	}

	private List<RedisFuture<?>> work(List<String> items, RedisAsyncCommands<String, String> async) {
		for (String item : items) {
			Probe.delivered(parse(item).path("t").asLong());
		}
		return List.of();
	}

	private static String json(BenchEvent event) {
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

	private static JsonNode parse(String item) {
		try {
			return JSON.readTree(item);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
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
