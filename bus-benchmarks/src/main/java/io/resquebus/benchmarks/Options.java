package io.resquebus.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Command-line options. The default run takes a few minutes; {@code --quick} about one.
 * @param rounds interleaved rounds; each figure is the median of its rounds
 * @param deliveries deliveries per end-to-end run (events = deliveries / apps)
 * @param apps the app counts of the end-to-end runs
 * @param publishSeconds how long each publish-rate run publishes
 * @param latencyEvents events of one paced latency run (1,000 a second)
 * @param queuedEvents events queued to measure Redis memory per event
 * @param registrySizes non-matching subscriptions of the registry-scaling runs
 * @param scenarios which of {@code publish, e2e, latency, registry} to run
 * @param out the JSON file; the markdown table goes beside it
 * @param commandStats whether to print, after each end-to-end run, the Redis commands per delivery by command
 * and the JVM's CPU and allocation per delivery by thread
 * @param busVariant properties of a second ResqueBus contender (on a namespace of its own); empty for none
 */
record Options(int rounds, int deliveries, List<Integer> apps, double publishSeconds, int latencyEvents,
		int queuedEvents, List<Integer> registrySizes, Set<String> scenarios, Path out, boolean commandStats,
		List<String> busVariant) {

	static final String USAGE = """
			Usage: java -jar bus-benchmarks/target/bus-benchmarks.jar [options]
			  --quick                 a short run (1 round, smaller sizes, 1 and 3 apps)
			  --rounds N              interleaved rounds, figures are medians (default 3)
			  --deliveries N          deliveries per end-to-end run (default 50000; Jesque makes at most 5000)
			  --apps 1,3,10           app counts of the end-to-end runs
			  --publish-seconds S     length of each publish-rate run (default 1)
			  --latency-events N      events of a paced latency run at 1,000/s (default 3000)
			  --scenarios LIST        any of publish,e2e,latency,registry (default all)
			  --out FILE              JSON output (default bus-benchmarks/target/benchmark-results.json)
			  --commandstats          print Redis commands per delivery by command after each end-to-end run,
			                          and the JVM's CPU and allocation per delivery by thread
			  --bus-variant P=V[,P=V] also run ResqueBus with these properties (own namespace), e.g.
			                          resquebus.wake-up=false
			""";

	static Options parse(String[] args) {
		int rounds = 3;
		int deliveries = 50_000;
		List<Integer> apps = List.of(1, 3, 10);
		double publishSeconds = 1.0;
		int latencyEvents = 3_000;
		int queuedEvents = 10_000;
		List<Integer> registrySizes = List.of(1, 100, 1_000);
		Set<String> scenarios = Set.of("publish", "e2e", "latency", "registry");
		Path out = defaultOut();
		boolean commandStats = false;
		List<String> busVariant = List.of();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "--quick" -> {
					rounds = 1;
					deliveries = 2_000;
					apps = List.of(1, 3);
					publishSeconds = 0.3;
					latencyEvents = 1_000;
					queuedEvents = 2_000;
				}
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--deliveries" -> deliveries = Integer.parseInt(args[++i]);
				case "--apps" -> apps = ints(args[++i]);
				case "--publish-seconds" -> publishSeconds = Double.parseDouble(args[++i]);
				case "--latency-events" -> latencyEvents = Integer.parseInt(args[++i]);
				case "--scenarios" -> scenarios = Set.of(args[++i].split(","));
				case "--out" -> out = Path.of(args[++i]);
				case "--commandstats" -> commandStats = true;
				case "--bus-variant" -> busVariant = List.of(args[++i].split(","));
				case "--help", "-h" -> {
					System.out.print(USAGE);
					System.exit(0);
				}
				default -> {
					System.err.print("Unknown option " + arg + "\n" + USAGE);
					System.exit(2);
				}
			}
		}
		return new Options(rounds, deliveries, apps, publishSeconds, latencyEvents, queuedEvents, registrySizes,
				scenarios, out, commandStats, busVariant);
	}

	boolean runs(String scenario) {
		return this.scenarios.contains(scenario);
	}

	/** {@code bus-benchmarks/target} from the project root, {@code target} from the module. */
	private static Path defaultOut() {
		Path module = Path.of("bus-benchmarks", "target");
		return (Files.isDirectory(module) ? module : Path.of("target")).resolve("benchmark-results.json");
	}

	private static List<Integer> ints(String list) {
		List<Integer> values = new ArrayList<>();
		Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).forEach(values::add);
		return values;
	}

}
