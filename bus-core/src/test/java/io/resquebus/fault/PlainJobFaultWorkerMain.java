package io.resquebus.fault;

import java.time.Duration;
import java.util.List;

import io.resquebus.BusSettings;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.job.ResqueJobs;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.worker.WorkerRunner;

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
		FaultWorkerMain.limitLifetime();
		String namespace = args[2];
		int batchSize = Integer.parseInt(args[3]);
		long pauseMillis = Long.parseLong(args[5]);
		LettuceConnectionFactory factory = FaultWorkerMain.connect(args);
		BusRedis redis = new BusRedis(factory);
		BusSettings settings = FaultWorkerMain.settings(namespace);
		WorkerRunner runner = new WorkerRunner(redis, settings, new AppSubscriptions(null), List.of(), batchSize,
				Duration.ofMillis(100));
		runner.setPlainJobs(new ResqueJobRunner(settings, jobs(new StringRedisTemplate(factory), namespace, pauseMillis)));
		FaultWorkerMain.runUntilInputCloses(redis, settings, Duration.ofMillis(Long.parseLong(args[4])), runner);
	}

}
