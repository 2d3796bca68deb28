package io.resquebus.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;

/**
 * Runs the benchmarks: this bus through real Spring Boot apps, a hand-built Lettuce bus (the
 * ceiling) and Jesque 2.2.0, on one Redis started for the run, interleaved round by round so that
 * every ratio compares figures taken under the same load. Prints a markdown table and writes it,
 * with every sample, as JSON.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		long started = System.nanoTime();
		double loadAtStart = Scenarios.load();
		EmbeddedRedisServer server = TestRedis.dedicated();
		List<Contender> contenders = new ArrayList<>();
		try (RedisInfo redis = new RedisInfo(server.host(), server.port())) {
			log("Redis %s on port %d; load average %.2f", redis.version(), server.port(), loadAtStart);
			contenders.add(new BusContender(server.host(), server.port()));
			if (!options.busVariant().isEmpty()) {
				List<String> properties = new ArrayList<>(options.busVariant());
				properties.add("resquebus.namespace=variant");
				properties.add("spring.data.redis.host=" + server.host());
				properties.add("spring.data.redis.port=" + server.port());
				contenders.add(new BusContender("ResqueBus (" + String.join(",", options.busVariant()) + ")",
						properties));
			}
			contenders.add(new LettuceContender(server.host(), server.port()));
			// The same loops moving the bus's bytes: what the wire format costs, apart from the bus's machinery.
			contenders.add(new LettuceContender(server.host(), server.port(), true));
			contenders.add(new JesqueContender(server.host(), server.port()));
			Results results = new Results(contenders.stream().map(Contender::name).toList());
			run(options, contenders, new Scenarios(options, redis, results));
			addScalings(options, results);
			String table = results.markdown();
			double seconds = (System.nanoTime() - started) / 1e9;
			String heading = String.format(Locale.ROOT,
					"%d CPUs, %s, Redis %s (embedded, same machine), %d round(s), load average %.2f at start,"
							+ " %.2f at end, %.0f s",
					Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
							+ Runtime.version(),
					redis.version(), options.rounds(), loadAtStart, Scenarios.load(), seconds);
			System.out.println();
			System.out.println(heading);
			System.out.println();
			System.out.println(table);
			write(options, results, heading, table, redis.version(), loadAtStart);
		}
		finally {
			contenders.forEach(Contender::close);
			server.stop();
		}
		System.exit(0);
	}

	/** How long each contender runs end to end, unrecorded, at least before the recorded runs of an app count. */
	private static final java.time.Duration WARM_UP = java.time.Duration.ofSeconds(3);

	/** How long it may run so at most, waiting for the JIT to go quiet. */
	private static final java.time.Duration MAX_WARM_UP = java.time.Duration.ofSeconds(15);

	/** The JIT counts as quiet when it compiled for less than this share of the last warm-up second. */
	private static final double QUIET_JIT = 0.05;

	private static void run(Options options, List<Contender> contenders, Scenarios scenarios) throws Exception {
		if (options.runs("publish")) {
			log("publish rates");
			// Mode by mode, contender after contender, so that compared figures are seconds apart.
			for (int round = -1; round < options.rounds(); round++) {
				scenarios.recording(round >= 0); // round -1 warms up
				for (Scenarios.PublishMode mode : Scenarios.PublishMode.values()) {
					for (Contender contender : rotated(contenders, round + 1)) {
						scenarios.publishRate(contender, mode);
					}
				}
			}
			for (Contender contender : contenders) {
				scenarios.queuedBytes(contender);
			}
		}
		if (!options.runs("e2e") && !options.runs("latency") && !options.runs("registry")) {
			return;
		}
		for (int apps : options.apps()) {
			log("%d app(s)", apps);
			for (Contender contender : contenders) {
				contender.scaleTo(apps);
				warmUp(scenarios, contender, apps, options);
			}
			if (options.runs("e2e")) {
				for (int round = 0; round < options.rounds(); round++) {
					for (Contender contender : rotated(contenders, round)) {
						scenarios.endToEnd(contender, apps, contender.endToEndDeliveries(options.deliveries()) / apps,
								"end to end, " + apps + (apps == 1 ? " app" : " apps"), true);
					}
				}
			}
			if (apps == 1 && options.runs("latency")) {
				log("latency");
				for (int round = 0; round < options.rounds(); round++) {
					for (Contender contender : rotated(contenders, round)) {
						scenarios.latency(contender);
					}
				}
			}
			if (apps == 1 && options.runs("registry")) {
				// Round by round, every size in each (in turn first), so that sizes compared are seconds apart.
				List<Integer> sizes = options.registrySizes();
				for (int round = 0; round < options.rounds(); round++) {
					for (int size : rotated(sizes, round)) {
						log("registry with %d non-matching subscriptions", size);
						for (Contender contender : rotated(contenders, round)) {
							if (contender.routesByRegistry()) {
								contender.noise(size);
								// Unrecorded first: the target is the cost per event of a registry that size, not
								// the one read of it a driver makes when it changes. Inside the recorded run, that
								// read cost the bus 14% at 1,000 subscriptions (0.86x in one run; 0.98x and 1.08x in
								// two runs after this step).
								scenarios.endToEnd(contender, 1, 1_000, registryFigure(size), false);
								scenarios.endToEnd(contender, 1, contender.endToEndDeliveries(options.deliveries()) / 2,
										registryFigure(size), true);
								contender.noise(0);
							}
						}
					}
				}
			}
		}
	}

	private static String registryFigure(int size) {
		return "1 app, " + size + " non-matching subscriptions";
	}

	/**
	 * The scalings the issue sets targets on, each read within rounds: 8 publishing threads against
	 * one, and the largest registry against the smallest.
	 */
	private static void addScalings(Options options, Results results) {
		results.addRatio(new Results.Figure("publish(), 8 threads ÷ 1 thread, within each round", "×", true),
				Scenarios.PublishMode.EIGHT_THREADS.figure, Scenarios.PublishMode.ONE_THREAD.figure);
		List<Integer> sizes = options.registrySizes();
		if (sizes.size() > 1) {
			int smallest = java.util.Collections.min(sizes);
			int largest = java.util.Collections.max(sizes);
			results.addRatio(
					new Results.Figure("1 app, deliveries with " + largest + " ÷ with " + smallest
							+ " non-matching subscriptions, within each round", "×", true),
					registryFigure(largest) + ": deliveries", registryFigure(smallest) + ": deliveries");
		}
	}

	private static <T> List<T> rotated(List<T> items, int round) {
		List<T> order = new ArrayList<>(items);
		java.util.Collections.rotate(order, -round);
		return order;
	}

	private static void write(Options options, Results results, String heading, String table, String redisVersion,
			double loadAtStart) throws IOException {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("date", Instant.now().toString());
		json.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "os",
				System.getProperty("os.name") + " " + System.getProperty("os.arch"), "java",
				Runtime.version().toString(), "redis", redisVersion, "maxHeapMb",
				Runtime.getRuntime().maxMemory() >> 20));
		json.put("loadAverage", Map.of("start", loadAtStart, "end", Scenarios.load()));
		json.put("options", Map.of("rounds", options.rounds(), "deliveriesPerRun", options.deliveries(), "apps",
				options.apps(), "publishSeconds", options.publishSeconds(), "latencyEvents",
				options.latencyEvents(), "scenarios", options.scenarios()));
		json.put("figures", results.data());
		Path out = options.out().toAbsolutePath();
		Files.createDirectories(out.getParent());
		new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
		Path markdown = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
		Files.writeString(markdown, heading + "\n\n" + table);
		log("wrote %s and %s", out, markdown);
	}

	/**
	 * Runs the contender end to end, unrecorded, for at least {@link #WARM_UP} and then until the JIT
	 * goes quiet (or {@link #MAX_WARM_UP}): in the first seconds of new apps, compiling their hot paths
	 * took up to half the process's CPU, so short recorded runs measured the compiler, not the code.
	 */
	private static void warmUp(Scenarios scenarios, Contender contender, int apps, Options options)
			throws InterruptedException {
		java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
		boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
		long start = System.nanoTime();
		long checkedAt = start;
		long compiledAt = timed ? jit.getTotalCompilationTime() : 0;
		double share = 1;
		while (true) {
			scenarios.endToEnd(contender, apps,
					Math.max(200, contender.endToEndDeliveries(options.deliveries()) / apps / 4), "warm-up", false);
			long now = System.nanoTime();
			if (now - start >= MAX_WARM_UP.toNanos() || (!timed && now - start >= WARM_UP.toNanos())) {
				break;
			}
			if (timed && now - checkedAt >= 1_000_000_000L) {
				long compiled = jit.getTotalCompilationTime();
				share = (compiled - compiledAt) * 1e6 / (now - checkedAt);
				checkedAt = now;
				compiledAt = compiled;
				if (now - start >= WARM_UP.toNanos() && share < QUIET_JIT) {
					break;
				}
			}
		}
		log("%s warmed up with %d app(s) for %.1f s (JIT busy %.0f%% of the last second)", contender.name(), apps,
				(System.nanoTime() - start) / 1e9, share * 100);
	}

	private static void log(String format, Object... args) {
		System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
		System.out.flush();
	}


}
