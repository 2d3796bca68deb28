package io.resquebus.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.resquebus.embedded.EmbeddedRedisCluster;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;

/**
 * This bus on a local Redis Cluster: end-to-end deliveries per second on one Redis, then on a
 * cluster of 1 shard and of 3 shards (a replica each), the same Spring Boot apps as
 * {@link BenchmarkMain}'s in cluster mode; on 3 shards once more with
 * {@code resquebus.driver.partitions=3}.
 * Every shard runs on this machine, so the figures say what cluster mode costs and how its hot keys
 * bound it here, not what more machines would give.
 * <p>
 * {@code java -cp bus-benchmarks.jar -Dloader.main=io.resquebus.benchmarks.ClusterBenchmarkMain
 * org.springframework.boot.loader.launch.PropertiesLauncher [apps] [events] [rounds]}
 */
public final class ClusterBenchmarkMain {

	private static final Duration TIMEOUT = Duration.ofSeconds(180);

	private ClusterBenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		int apps = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		int events = (args.length > 1) ? Integer.parseInt(args[1]) : 6000;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		List<String> lines = new ArrayList<>();
		EmbeddedRedisServer server = TestRedis.dedicated();
		try {
			BusContender bus = new BusContender(server.host(), server.port());
			try {
				lines.add(measure(bus, apps, events, rounds, "one Redis (no cluster)"));
			}
			finally {
				bus.close();
			}
		}
		finally {
			server.stop();
		}
		for (int shards : new int[] { 1, 3 }) {
			try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(shards)) {
				// On 3 shards also with bus_incoming in 3 partitions, one per shard.
				for (int partitions : (shards > 1) ? new int[] { 1, shards } : new int[] { 1 }) {
					BusContender bus = new BusContender(
							List.of("spring.data.redis.cluster.nodes=" + String.join(",", cluster.nodes()),
									"resquebus.driver.partitions=" + partitions));
					try {
						lines.add(measure(bus, apps, events, rounds, "cluster, " + shards + " shard(s) + " + shards
								+ " replica(s), " + partitions + " incoming partition(s)"));
					}
					finally {
						bus.close();
					}
				}
			}
		}
		System.out.println();
		System.out.printf("%d CPUs, %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
		lines.forEach(System.out::println);
		System.exit(0);
	}

	private static String measure(BusContender bus, int apps, int events, int rounds, String what)
			throws InterruptedException {
		bus.scaleTo(apps);
		run(bus, apps, Math.max(300, events / 4)); // warm-up
		List<Double> rates = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			rates.add(run(bus, apps, events));
		}
		rates.sort(Double::compare);
		String line = String.format(Locale.ROOT, "%s, %d apps: %,.0f deliveries/s (median of %s, load %.2f)", what,
				apps, rates.get(rates.size() / 2), format(rates), Scenarios.load());
		System.out.println(line);
		return line;
	}

	/** Publishes {@code events} in batches of 100 and waits until every app handled each: deliveries/s. */
	private static double run(BusContender bus, int apps, int events) throws InterruptedException {
		long deliveries = (long) events * apps;
		Probe.expect(deliveries, false);
		long start = System.nanoTime();
		long seq = 0;
		for (int i = 0; i < events; i += 100) {
			List<BenchEvent> batch = new ArrayList<>(100);
			for (int j = i; j < Math.min(events, i + 100); j++) {
				batch.add(BenchEvent.now(seq++));
			}
			bus.publishAll(batch);
		}
		long end = Probe.await(TIMEOUT);
		Probe.stopRecording();
		if (end < 0) {
			throw new IllegalStateException("Timed out with " + Probe.deliveredCount() + " of " + deliveries);
		}
		return deliveries / ((end - start) / 1e9);
	}

	private static String format(List<Double> rates) {
		return rates.stream().map((rate) -> String.format(Locale.ROOT, "%,.0f", rate)).toList().toString();
	}

}
