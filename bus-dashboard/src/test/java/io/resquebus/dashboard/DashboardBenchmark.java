package io.resquebus.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;

import org.springframework.data.redis.core.RedisCallback;

/**
 * The dashboard's API on a small and on a big Redis: 100 queues, 1,000 workers, 1,000,000 failed
 * entries (Ruby's format), seeded with pipelined writes into a Redis of its own. Prints the median
 * and p95 of each call and the big/small ratio (the machine is shared, so ratios say more than
 * milliseconds). Run it with:
 * <pre>
 * ./mvnw -B -q -pl bus-dashboard -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.resquebus.dashboard.DashboardBenchmark
 * </pre>
 * or from the IDE; {@code -Dfailed=100000} seeds fewer failures.
 */
public final class DashboardBenchmark {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final String[] CALLS = { "overview", "failed?size=20", "failed?size=20&offset=500000",
			"failed?size=20&text=no-such-text", "failed/groups", "workers?size=100", "queues?size=100",
			"queues/queue_42?size=20" };

	private DashboardBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int failed = Integer.getInteger("failed", 1_000_000);
		int rounds = Integer.getInteger("rounds", 15);
		EmbeddedRedisServer redis = TestRedis.dedicated();
		try (DashboardApp app = DashboardApp.onRedis(redis.url(), "resquebus.worker.enabled=false",
				"resquebus.driver.enabled=false", "resquebus.scheduler.enabled=false")) {
			seed(app, 1, 1, 10);
			Map<String, double[]> small = measure(app, rounds);
			app.flush();
			long start = System.nanoTime();
			seed(app, 100, 1000, failed);
			System.out.printf("BENCH seeded 100 queues, 1000 workers, %,d failed entries in %.1f s%n", failed,
					(System.nanoTime() - start) / 1e9);
			Map<String, double[]> big = measure(app, rounds);
			System.out.printf("BENCH %-34s %12s %12s %12s %12s %7s%n", "call", "small p50 ms", "small p95",
					"big p50 ms", "big p95", "ratio");
			for (String call : CALLS) {
				double[] s = small.get(call);
				double[] b = big.get(call);
				System.out.printf("BENCH %-34s %12.1f %12.1f %12.1f %12.1f %7.2f%n", call, s[0], s[1], b[0], b[1],
						b[0] / s[0]);
			}
		}
		finally {
			redis.stop();
		}
	}

	/** Median and p95 (ms) of each call; the overview is read uncached (its memo lives one second). */
	private static Map<String, double[]> measure(DashboardApp app, int rounds) throws Exception {
		Map<String, double[]> result = new LinkedHashMap<>();
		for (String call : CALLS) {
			get(app, call);
			double[] samples = new double[rounds];
			for (int i = 0; i < rounds; i++) {
				if (call.equals("overview")) {
					Thread.sleep(1100);
				}
				long start = System.nanoTime();
				get(app, call);
				samples[i] = (System.nanoTime() - start) / 1e6;
			}
			Arrays.sort(samples);
			result.put(call, new double[] { samples[rounds / 2], samples[(int) Math.ceil(rounds * 0.95) - 1] });
		}
		return result;
	}

	private static void get(DashboardApp app, String call) throws Exception {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.url() + "api/" + call)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		if (response.statusCode() != 200) {
			throw new IllegalStateException(call + " answered " + response.statusCode() + ": " + response.body());
		}
	}

	/** Queues of 50 jobs, workers of which half are busy, and failures in batches of 1,000 per RPUSH. */
	private static void seed(DashboardApp app, int queues, int workers, int failures) {
		String job = "{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":\\\"user_created\\\","
				+ "\\\"bus_driven_at\\\":1700000000}\"]}";
		app.redis.executePipelined((RedisCallback<Object>) (c) -> {
			for (int q = 0; q < queues; q++) {
				c.setCommands().sAdd(b(app.key("queues")), b("queue_" + q));
				c.listCommands().rPush(b(app.key("queue:queue_" + q)), repeat(b(job), 50));
			}
			for (int w = 0; w < workers; w++) {
				String id = "bench-host:" + (1000 + w) + ":queue_" + (w % queues);
				c.setCommands().sAdd(b(app.key("workers")), b(id));
				c.stringCommands().set(b(app.key("worker:" + id + ":started")), b("2026-12-07 09:00:00 +0000"));
				c.hashCommands().hSet(b(app.key("workers:heartbeat")), b(id), b("2026-12-07T09:00:00+00:00"));
				if (w % 2 == 0) {
					c.stringCommands().set(b(app.key("worker:" + id)), b("{\"queue\":\"queue_0\","
							+ "\"run_at\":\"2026/12/07 09:00:00 UTC\",\"payload\":" + job + "}"));
				}
			}
			return null;
		});
		List<String> batch = new ArrayList<>(1000);
		String[] exceptions = { "ArgumentError", "Timeout::Error", "Redis::CannotConnectError", "NoMethodError" };
		for (int i = 0; i < failures; i++) {
			batch.add(app.rubyFailure(Map.of("exception", exceptions[i % exceptions.length], "queue", "queue_" + (i % 100),
					"args", List.of("item-" + i, i))));
			if (batch.size() == 1000 || i == failures - 1) {
				app.pushFailures(batch.toArray(String[]::new));
				batch.clear();
			}
		}
	}

	private static byte[][] repeat(byte[] value, int times) {
		byte[][] values = new byte[times][];
		Arrays.fill(values, value);
		return values;
	}

	private static byte[] b(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
