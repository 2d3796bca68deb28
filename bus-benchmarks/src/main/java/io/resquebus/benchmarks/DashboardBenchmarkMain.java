package io.resquebus.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.resquebus.BusSettings;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.wire.BusKeys;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard's JSON API on a big Redis: 100 queues of 50 jobs, 1,000 workers (half busy) and
 * 1,000,000 failed entries in Ruby's format, and first on a nearly empty Redis (1 queue, 1 worker,
 * 10 failures) for comparison. A Spring MVC app with the dashboard (runners off) serves the API on
 * a free loopback port; Redis is an embedded server started for the run, seeded by Lua scripts
 * that write the failures inside Redis (50,000 a script).
 * <p>
 * For each view: the median and p99 of the HTTP call (the overview once its one-second memo has
 * expired, and memoised), then, for one call, the commands the app sent to Redis (round trips:
 * the dashboard sends scripts, no pipelines) and the commands run inside those scripts, read with
 * {@code MONITOR}, and the commands {@code INFO commandstats} counted.
 * <p>
 * {@code java -cp bus-benchmarks/target/bus-benchmarks.jar -Dloader.main=io.resquebus.benchmarks.DashboardBenchmarkMain
 * org.springframework.boot.loader.launch.PropertiesLauncher [failed] [samples]}
 */
public final class DashboardBenchmarkMain {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/** The overview is memoised this long (BusConsole); its reads wait a little more between samples. */
	private static final long OVERVIEW_MEMO_MILLIS = 1000;

	private static final String JOB = "{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":"
			+ "\\\"user_created\\\",\\\"bus_driven_at\\\":1765098000}\"]}";

	/** Ruby's failed entry ({@code Resque::Failure::Redis}), numbered; written inside Redis. */
	private static final String SEED_FAILED = """
			local classes = {'RateJob', 'MailJob', 'ReportJob', 'SyncJob', 'ExportJob'}
			local exceptions = {'ArgumentError', 'Timeout::Error', 'Redis::CannotConnectError', 'NoMethodError'}
			local fmt = [[{"failed_at":"2026/12/07 %02d:%02d:%02d UTC","payload":{"class":"%s","args":["item-%d",%d]},]]
				.. [["exception":"%s","error":"failure number %d","backtrace":["app/jobs/job.rb:12:in `perform'",]]
				.. [["/gems/resque-1.27.4/lib/resque/job.rb:166:in `perform'"],"worker":"bench-host:%d:queue_%d",]]
				.. [["queue":"queue_%d"}]]
			local batch = {}
			for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1 do
				local q = i % 100
				batch[#batch + 1] = string.format(fmt, math.floor(i / 3600) % 24, math.floor(i / 60) % 60, i % 60,
					classes[i % 5 + 1], i, i % 10, exceptions[i % 4 + 1], i, 1000 + i % 1000, q, q)
				if #batch == 1000 then
					redis.call('RPUSH', KEYS[1], unpack(batch))
					batch = {}
				end
			end
			if #batch > 0 then
				redis.call('RPUSH', KEYS[1], unpack(batch))
			end
			return redis.call('LLEN', KEYS[1])
			""";

	private DashboardBenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		int failed = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		int samples = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		double loadAtStart = Scenarios.load();
		long started = System.nanoTime();
		EmbeddedRedisServer server = TestRedis.dedicated();
		RedisClient client = RedisClient.create(RedisURI.create(server.host(), server.port()));
		try (StatefulRedisConnection<String, String> redis = client.connect();
				ConfigurableApplicationContext app = start(server);
				Monitor monitor = new Monitor(server.host(), server.port(), redis)) {
			WebServer web = Objects.requireNonNull(((WebServerApplicationContext) app).getWebServer(), "web server");
			String base = "http://127.0.0.1:" + web.getPort() + "/resquebus/api/";
			BusKeys keys = app.getBean(BusSettings.class).keys();
			String version = info(redis, "server", "redis_version");
			log("Redis %s on port %d, dashboard API at %s; load average %.2f", version, server.port(), base,
					loadAtStart);

			seed(redis, keys, 1, 1, 10);
			log("small Redis: 1 queue, 1 worker, 10 failed entries");
			Map<String, Figures> small = measure(base, calls(10), Math.max(10, samples / 3), monitor);

			redis.sync().flushall();
			long seeding = System.nanoTime();
			seed(redis, keys, 100, 1000, failed);
			double seedSeconds = (System.nanoTime() - seeding) / 1e9;
			String memory = info(redis, "memory", "used_memory_human");
			log("big Redis: 100 queues, 1,000 workers, %,d failed entries, seeded in %.1f s (used memory %s)", failed,
					seedSeconds, memory);
			Map<String, Figures> big = measure(base, calls(failed), samples, monitor);

			String heading = String.format(Locale.ROOT,
					"%d CPUs, %s %s, Redis %s (embedded, same machine); big Redis: 100 queues of 50 jobs, 1,000 workers,"
							+ " %,d failed entries (%s used, seeded in %.1f s); load average %.2f at start, %.2f at end,"
							+ " %.0f s",
					Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), Runtime.version(),
					version, failed, memory, seedSeconds, loadAtStart, Scenarios.load(),
					(System.nanoTime() - started) / 1e9);
			String table = table(small, big);
			System.out.println();
			System.out.println(heading);
			System.out.println();
			System.out.println(table);
			Path out = Path.of("bus-benchmarks", "target", "dashboard-benchmark.md").toAbsolutePath();
			if (out.getParent() != null && Files.isDirectory(out.getParent())) {
				Files.writeString(out, heading + "\n\n" + table);
				log("wrote %s", out);
			}
		}
		finally {
			client.shutdown();
			server.stop();
		}
		System.exit(0);
	}

	/** The app: the starter's defaults, no runners, the dashboard on a free loopback port. */
	private static ConfigurableApplicationContext start(EmbeddedRedisServer server) {
		return new SpringApplicationBuilder(DashboardApp.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.data.redis.host=" + server.host(),
					"spring.data.redis.port=" + server.port(), "spring.data.redis.client-type=lettuce",
					"resquebus.app-key=bench_dashboard", "resquebus.dashboard.enabled=true",
					"resquebus.driver.enabled=false", "resquebus.worker.enabled=false",
					"resquebus.scheduler.enabled=false", "spring.main.banner-mode=off",
					"spring.main.log-startup-info=false")
			.run();
	}

	/** A view and the API call that reads it. */
	record Call(String view, String path, boolean expireMemo) {
	}

	private static List<Call> calls(int failed) {
		return List.of(new Call("overview (read, memo expired)", "overview", true),
				new Call("overview (memoised, other tabs)", "overview", false),
				new Call("failed, first page", "failed?size=20", false),
				new Call("failed, page in the middle", "failed?size=20&offset=" + failed / 2, false),
				new Call("failed, oldest page", "failed?size=20&offset=" + Math.max(0, failed - 20), false),
				new Call("failed, filter class (1 in 5)", "failed?size=20&class=MailJob", false),
				new Call("failed, filter queue (1 in 100)", "failed?size=20&queue=queue_42", false),
				new Call("failed, text found nowhere", "failed?size=20&text=no-such-text", false),
				new Call("failed, groups by exception", "failed/groups", false),
				new Call("workers, page of 100", "workers?size=100", false),
				new Call("queues, page of 100", "queues?size=100", false),
				new Call("queue contents, page of 20", "queues/queue_0?size=20", false));
	}

	/** Latency, items shown and Redis cost of one view. */
	record Figures(double p50, double p99, int samples, String items, Monitor.Count count) {
	}

	private static Map<String, Figures> measure(String base, List<Call> calls, int samples, Monitor monitor)
			throws Exception {
		Map<String, Figures> figures = new LinkedHashMap<>();
		for (Call call : calls) {
			int n = call.expireMemo() ? Math.max(5, samples / 5) : samples;
			String items = items(get(base, call.path()));
			for (int i = 0; i < 3; i++) {
				get(base, call.path()); // warm-up
			}
			double[] times = new double[n];
			for (int i = 0; i < n; i++) {
				if (call.expireMemo()) {
					Thread.sleep(OVERVIEW_MEMO_MILLIS + 50);
				}
				long start = System.nanoTime();
				get(base, call.path());
				times[i] = (System.nanoTime() - start) / 1e6;
			}
			Arrays.sort(times);
			if (call.expireMemo()) {
				Thread.sleep(OVERVIEW_MEMO_MILLIS + 50);
			}
			Monitor.Count count = monitor.count(() -> get(base, call.path()));
			Figures f = new Figures(times[(n - 1) / 2], times[(int) Math.ceil(n * 0.99) - 1], n, items, count);
			log("%-34s p50 %7.2f ms  p99 %7.2f ms  (n=%d)  %s; %s", call.view(), f.p50(), f.p99(), n, items, count);
			figures.put(call.view(), f);
		}
		return figures;
	}

	private static String table(Map<String, Figures> small, Map<String, Figures> big) {
		StringBuilder table = new StringBuilder();
		table.append("| View | Small p50 ms | Big p50 ms | Big p99 ms | Shown (big) | Round trips small / big "
				+ "| Commands in scripts small / big | commandstats big |\n");
		table.append("|---|--:|--:|--:|---|--:|--:|--:|\n");
		for (Map.Entry<String, Figures> entry : big.entrySet()) {
			Figures b = entry.getValue();
			Figures s = Objects.requireNonNull(small.get(entry.getKey()), entry.getKey());
			table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %s | %d / %d | %d / %d | %d |%n",
					entry.getKey(), s.p50(), b.p50(), b.p99(), b.items(), s.count().client(), b.count().client(),
					s.count().scripted(), b.count().scripted(), b.count().commandstats()));
		}
		return table.toString();
	}

	private static String get(String base, String path) {
		try {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			if (response.statusCode() != 200) {
				throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(path + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** What one answer shows: its items (and for a search how many entries it read), or the queue count. */
	private static String items(String body) throws IOException {
		JsonNode json = JSON.readTree(body);
		if (json.has("queueCount")) {
			return json.get("queueCount").asInt() + " queues, " + json.get("workers").get("total").asInt()
					+ " workers, " + json.get("failed").asLong() + " failed";
		}
		if (json.has("groups")) {
			return json.get("groups").size() + " groups of " + json.get("window").asLong();
		}
		String shown = json.get("items").size() + " items";
		return json.has("scanned") ? shown + ", read " + json.get("scanned").asLong() : shown;
	}

	/**
	 * Queues of 50 jobs and workers, half of them busy, pipelined; the failed entries by scripts of
	 * 50,000 entries; Resque's stats.
	 */
	private static void seed(StatefulRedisConnection<String, String> redis, BusKeys keys, int queues, int workers,
			int failures) {
		RedisAsyncCommands<String, String> async = redis.async();
		List<RedisFuture<?>> futures = new ArrayList<>();
		String[] jobs = new String[50];
		Arrays.fill(jobs, JOB);
		for (int q = 0; q < queues; q++) {
			futures.add(async.sadd(keys.queues(), "queue_" + q));
			futures.add(async.rpush(keys.queue("queue_" + q), jobs));
		}
		for (int w = 0; w < workers; w++) {
			String id = "bench-host:" + (1000 + w) + ":queue_" + (w % queues);
			futures.add(async.sadd(keys.workers(), id));
			futures.add(async.set(keys.workerStarted(id), "2026-12-07 09:00:00 +0000"));
			futures.add(async.hset(keys.workersHeartbeat(), id, "2026-12-07T09:00:00+00:00"));
			if (w % 2 == 0) {
				futures.add(async.set(keys.worker(id), "{\"queue\":\"queue_" + (w % queues)
						+ "\",\"run_at\":\"2026/12/07 09:00:00 UTC\",\"payload\":" + JOB + "}"));
			}
		}
		futures.add(async.set(keys.statProcessed(), "123456789"));
		futures.add(async.set(keys.statFailed(), Integer.toString(failures)));
		if (!LettuceFutures.awaitAll(5, TimeUnit.MINUTES, futures.toArray(RedisFuture[]::new))) {
			throw new IllegalStateException("Seeding timed out");
		}
		for (int from = 0; from < failures; from += 50_000) {
			redis.sync().eval(SEED_FAILED, ScriptOutputType.INTEGER, new String[] { keys.failed() },
					Integer.toString(from), Integer.toString(Math.min(failures, from + 50_000)));
		}
		long count = redis.sync().llen(keys.failed());
		if (count != failures) {
			throw new IllegalStateException("Seeded " + count + " failed entries, not " + failures);
		}
	}

	private static String info(StatefulRedisConnection<String, String> redis, String section, String field) {
		for (String line : redis.sync().info(section).split("\r?\n")) {
			if (line.startsWith(field + ":")) {
				return line.substring(field.length() + 1).trim();
			}
		}
		throw new IllegalStateException("INFO has no " + field);
	}

	private static void log(String format, Object... args) {
		System.out.printf("[dashboard bench %tT] %s%n", System.currentTimeMillis(),
				String.format(Locale.ROOT, format, args));
		System.out.flush();
	}

	/**
	 * Counts what Redis runs for one call: {@code MONITOR} on a connection of its own tells the
	 * commands clients sent (the app's, here: nothing else talks to this Redis) from those scripts
	 * ran ({@code [0 lua]}); an {@code ECHO} on our connection marks the end of the call.
	 */
	static final class Monitor implements AutoCloseable {

		private final Socket socket;

		private final StatefulRedisConnection<String, String> redis;

		private final AtomicLong client = new AtomicLong();

		private final AtomicLong scripted = new AtomicLong();

		private final Map<String, AtomicLong> byName = new ConcurrentHashMap<>();

		private final Map<String, Boolean> marks = new ConcurrentHashMap<>();

		private volatile boolean counting;

		private long mark;

		Monitor(String host, int port, StatefulRedisConnection<String, String> redis) throws IOException {
			this.redis = redis;
			this.socket = new Socket(host, port);
			OutputStream out = this.socket.getOutputStream();
			out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.ISO_8859_1));
			Thread reader = new Thread(() -> read(in), "redis-monitor");
			reader.setDaemon(true);
			reader.start();
		}

		/** What Redis ran between now and the end of the action. */
		record Count(long client, long scripted, long commandstats, Map<String, Long> byName) {

			@Override
			public String toString() {
				return String.format(Locale.ROOT, "%d round trip(s) %s, %d command(s) in scripts, commandstats %d",
						this.client, this.byName, this.scripted, this.commandstats);
			}

		}

		interface Action {

			void run() throws Exception;

		}

		Count count(Action action) throws Exception {
			drain();
			this.client.set(0);
			this.scripted.set(0);
			this.byName.clear();
			Map<String, Long> before = commandstats();
			this.counting = true;
			action.run();
			drain();
			this.counting = false;
			Map<String, Long> after = commandstats();
			long stats = 0;
			for (Map.Entry<String, Long> entry : after.entrySet()) {
				if (!entry.getKey().equals("info") && !entry.getKey().equals("echo")) {
					stats += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
				}
			}
			Map<String, Long> names = new TreeMap<>();
			this.byName.forEach((name, n) -> names.put(name, n.get()));
			return new Count(this.client.get(), this.scripted.get(), stats, names);
		}

		/** Waits until the monitor has seen everything Redis ran before an {@code ECHO} of ours. */
		private void drain() throws InterruptedException {
			String token = "bench-mark-" + (++this.mark);
			this.redis.sync().echo(token);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (this.marks.remove(token) == null) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("MONITOR did not show " + token);
				}
				Thread.sleep(1);
			}
		}

		private Map<String, Long> commandstats() {
			Map<String, Long> calls = new TreeMap<>();
			for (String line : this.redis.sync().info("commandstats").split("\r?\n")) {
				if (line.startsWith("cmdstat_")) {
					String name = line.substring(8, line.indexOf(':'));
					int at = line.indexOf("calls=") + 6;
					calls.put(name, Long.parseLong(line.substring(at, line.indexOf(',', at))));
				}
			}
			return calls;
		}

		// +1765098000.123456 [0 127.0.0.1:54321] "evalsha" "..." ... or [0 lua] for a script's command
		private void read(BufferedReader in) {
			try {
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					int open = line.indexOf(" [");
					int close = line.indexOf("] \"", open);
					if (open < 0 || close < 0) {
						continue;
					}
					String source = line.substring(open + 2, close);
					int nameEnd = line.indexOf('"', close + 3);
					String name = line.substring(close + 3, (nameEnd > 0) ? nameEnd : line.length())
						.toLowerCase(Locale.ROOT);
					if (name.equals("echo") && line.contains("\"bench-mark-")) {
						int at = line.indexOf("\"bench-mark-");
						this.marks.put(line.substring(at + 1, line.indexOf('"', at + 1)), true);
					}
					else if (name.equals("info")) {
						continue;
					}
					else if (this.counting && source.endsWith(" lua")) {
						this.scripted.incrementAndGet();
					}
					else if (this.counting) {
						this.client.incrementAndGet();
						this.byName.computeIfAbsent(name, (k) -> new AtomicLong()).incrementAndGet();
					}
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

	/** The app serving the dashboard. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class DashboardApp {

	}

}
