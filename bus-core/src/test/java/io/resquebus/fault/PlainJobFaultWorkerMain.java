package io.resquebus.fault;

import java.time.Duration;
import java.util.List;

import io.resquebus.BusSettings;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.job.ResqueJobs;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A worker process for {@link PlainJobKillWorkerTests}: a worker with leases and recovery that
 * performs plain {@code Archive} jobs, counting each job's first argument in the test's hash. It
 * ends when its standard input closes and after two minutes at most.
 * <p>
 * Arguments: host, port, namespace, batch size, lease millis, handler pause millis.
 */
public final class PlainJobFaultWorkerMain {

	static final String QUEUE = "file_serve";

	static final String JOB_CLASS = "Archive";

	private PlainJobFaultWorkerMain() {
	}

	static String handledKey(String namespace) {
		return namespace + ":test:plain-handled";
	}

	/** Counts each performed job's first argument in the hash. */
	static ResqueJobs jobs(StringRedisTemplate template, String namespace, long pauseMillis) {
		ResqueJobs jobs = new ResqueJobs();
		jobs.handle(JOB_CLASS, QUEUE, (job) -> {
			if (pauseMillis > 0) {
				Thread.sleep(pauseMillis);
			}
			template.opsForHash().increment(handledKey(namespace), String.valueOf(job.arg(0)), 1);
		});
		return jobs;
	}

	public static void main(String[] args) throws Exception {
		String namespace = args[2];
		int batchSize = Integer.parseInt(args[3]);
		Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
		long pauseMillis = Long.parseLong(args[5]);
		Thread limit = new Thread(() -> {
			try {
				Thread.sleep(Duration.ofMinutes(2).toMillis());
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
		BusSettings settings = BusSettings.defaults().withKeys(new BusKeys(namespace)).withHostname("fault-child");
		WorkerRunner runner = new WorkerRunner(redis, settings, new AppSubscriptions(null), List.of(), batchSize,
				Duration.ofMillis(100));
		runner.setPlainJobs(new ResqueJobRunner(settings, jobs(new StringRedisTemplate(factory), namespace, pauseMillis)));
		ConsumerRegistry registry = new ConsumerRegistry(redis, settings, lease);
		runner.setConsumerRegistry(registry);
		new BusMaintenance(registry, new OrphanRecovery(redis, settings, registry), lease.dividedBy(4)).start();
		runner.start();
		while (System.in.read() != -1) {
			// the test writes nothing; end of input means it is gone
		}
		Runtime.getRuntime().halt(0);
	}

}
