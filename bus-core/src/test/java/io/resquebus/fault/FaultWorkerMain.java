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
		TestRedis.RedisEndpoint redis = TestRedis.shared();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// Under surefire the class path may be a manifest-only booter jar; java follows its Class-Path.
		List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heapMegabytes + "m", "-XX:TieredStopAtLevel=1",
				"-cp", System.getProperty("java.class.path"), FaultWorkerMain.class.getName(), redis.host(),
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
		String namespace = args[2];
		int batchSize = Integer.parseInt(args[3]);
		Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
		long pauseMillis = Long.parseLong(args[5]);
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

		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(args[0], Integer.parseInt(args[1])));
		factory.afterPropertiesSet();
		factory.start();
		BusRedis redis = new BusRedis(factory);
		StringRedisTemplate template = new StringRedisTemplate(factory);
		BusSettings settings = BusSettings.defaults().withKeys(new BusKeys(namespace)).withHostname("fault-child");
		String handled = FaultJobs.handledKey(namespace);
		WorkerRunner runner = new WorkerRunner(redis, settings, FaultJobs.subscriptions((event) -> {
			Thread.sleep(pauseMillis);
			template.opsForHash().increment(handled, event.id(), 1);
		}), List.of(), batchSize, Duration.ofMillis(100));
		if (args.length > 6) {
			runner.setMaxPayloadSize(Long.parseLong(args[6]));
		}
		ConsumerRegistry registry = new ConsumerRegistry(redis, settings, lease);
		runner.setConsumerRegistry(registry);
		BusMaintenance maintenance = new BusMaintenance(registry, new OrphanRecovery(redis, settings, registry),
				lease.dividedBy(4));
		maintenance.start();
		runner.start();
		while (System.in.read() != -1) {
			// the test writes nothing; end of input means it is gone
		}
		Runtime.getRuntime().halt(0);
	}

}
