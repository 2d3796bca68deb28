package io.resquebus.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.BusSettings;
import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A worker process for {@link KillWorkerTests}, run in a JVM of its own so that it can be killed
 * with SIGKILL: a worker with leases and recovery, as an application runs it, whose handler
 * counts each {@code bus_id} in the test's hash. It ends when its standard input closes (the test
 * is done or died) and after two minutes at most.
 * <p>
 * Arguments: host, port, namespace, batch size, lease millis, handler pause millis, and optionally
 * the maximum payload size in bytes (none by default).
 */
public final class FaultWorkerMain {

	private static final Duration MAX_LIFETIME = Duration.ofMinutes(2);

	private FaultWorkerMain() {
	}

	/**
	 * Starts a worker process on the test Redis, its output going to {@code log}.
	 * @param args the arguments after host and port, as {@link #main} takes them
	 */
	static Process start(Path log, int heapMegabytes, String... args) throws IOException {
		return start(FaultWorkerMain.class, log, heapMegabytes, args);
	}

	/**
	 * Starts the worker process whose main class is {@code main} on the test Redis, its output
	 * going to {@code log}.
	 * @param args the arguments after host and port
	 */
	static Process start(Class<?> main, Path log, int heapMegabytes, String... args) throws IOException {
		TestRedis.RedisEndpoint redis = TestRedis.shared();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// Under surefire the class path may be a manifest-only booter jar; java follows its Class-Path.
		List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMegabytes + "m", "-XX:TieredStopAtLevel=1",
				"-cp", System.getProperty("java.class.path"), main.getName(), redis.host(),
				Integer.toString(redis.port())));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** Fails with the process's output if it has ended. */
	static void requireAlive(Process child, Path log) throws IOException {
		if (!child.isAlive()) {
			throw new AssertionError("The worker process exited with " + child.exitValue() + "; its output:"
					+ "\n" + Files.readString(log, StandardCharsets.UTF_8));
		}
	}

	public static void main(String[] args) throws Exception {
		limitLifetime();
		String namespace = args[2];
		int batchSize = Integer.parseInt(args[3]);
		long pauseMillis = Long.parseLong(args[5]);
		LettuceConnectionFactory factory = connect(args);
		BusRedis redis = new BusRedis(factory);
		StringRedisTemplate template = new StringRedisTemplate(factory);
		BusSettings settings = settings(namespace);
		String handled = FaultJobs.handledKey(namespace);
		WorkerRunner runner = new WorkerRunner(redis, settings, FaultJobs.subscriptions((event) -> {
			Thread.sleep(pauseMillis);
			template.opsForHash().increment(handled, event.id(), 1);
		}), List.of(), batchSize, Duration.ofMillis(100));
		if (args.length > 6) {
			runner.setMaxPayloadSize(Long.parseLong(args[6]));
		}
		runUntilInputCloses(redis, settings, Duration.ofMillis(Long.parseLong(args[4])), runner);
	}

	/** Halts this process after {@link #MAX_LIFETIME}, should the test never close its input. */
	static void limitLifetime() {
		Thread limit = new Thread(() -> {
			try {
				Thread.sleep(MAX_LIFETIME.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Runtime.getRuntime().halt(3);
		}, "fault-worker-limit");
		limit.setDaemon(true);
		limit.start();
	}

	/** A started connection factory for the host and port of the arguments. */
	static LettuceConnectionFactory connect(String[] args) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(args[0], Integer.parseInt(args[1])));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** The settings of a worker process: the test's namespace, host name {@code fault-child}. */
	static BusSettings settings(String namespace) {
		return BusSettings.defaults().withKeys(new BusKeys(namespace)).withHostname("fault-child");
	}

	/**
	 * Runs the worker with leases and recovery, as an application runs it, until the test closes
	 * this process's standard input (it writes nothing: end of input means it is done or gone).
	 */
	static void runUntilInputCloses(BusRedis redis, BusSettings settings, Duration lease, WorkerRunner runner)
			throws IOException {
		ConsumerRegistry registry = new ConsumerRegistry(redis, settings, lease);
		runner.setConsumerRegistry(registry);
		new BusMaintenance(registry, new OrphanRecovery(redis, settings, registry), lease.dividedBy(4)).start();
		runner.start();
		while (System.in.read() != -1) {
			// nothing to read
		}
		Runtime.getRuntime().halt(0);
	}

}
