package io.resquebus.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.embedded.TestRedis;
import io.resquebus.job.JobRequest;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.job.ResqueTemplate;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process performing plain Resque jobs, killed with SIGKILL mid-run, loses none: once
 * its lease expires, a worker in another process puts its in-flight jobs back and performs them.
 * Only jobs the killed worker had taken can run twice.
 */
class PlainJobKillWorkerTests {

	private static final int JOBS = 1500;

	private static final int KILLED_BATCH_SIZE = 20;

	private static final int KILL_AFTER = 200;

	private static final Duration LEASE = Duration.ofSeconds(2);

	@RegisterExtension
	final TestBus bus = new TestBus();

	@TempDir
	Path tmp;

	@Test
	void losesNoPlainJobWhenAWorkerProcessIsKilledMidRun() throws Exception {
		BusKeys keys = this.bus.keys();
		ResqueTemplate template = new ResqueTemplate(this.bus.redis(), this.bus.settings());
		List<JobRequest> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(JobRequest.of(PlainJobFaultWorkerMain.QUEUE, PlainJobFaultWorkerMain.JOB_CLASS, i, "masterbrew"));
		}
		for (int from = 0; from < JOBS; from += 500) {
			template.enqueueAll(jobs.subList(from, Math.min(JOBS, from + 500)));
		}
		String handledKey = PlainJobFaultWorkerMain.handledKey(this.bus.namespace());
		Path log = this.tmp.resolve("worker.log");
		Process child = start(log);
		WorkerRunner survivor = null;
		BusMaintenance maintenance = null;
		try {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
				if (!child.isAlive()) {
					throw new AssertionError("The worker process exited with " + child.exitValue() + ":\n"
							+ Files.readString(log, StandardCharsets.UTF_8));
				}
				return this.bus.template().opsForHash().size(handledKey) >= KILL_AFTER;
			});
			child.destroyForcibly();
			assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).as("exit status of a process killed by SIGKILL").isEqualTo(128 + 9);
			long handledByKilled = this.bus.template().opsForHash().size(handledKey);
			assertThat(handledByKilled).as("killed mid-run").isLessThan(JOBS);
			String killed = this.bus.members(keys.consumers()).iterator().next();
			long inflightAtKill = this.bus.list(keys.inflight(PlainJobFaultWorkerMain.QUEUE, killed)).size();

			BusSettings settings = this.bus.settings();
			ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), settings, LEASE);
			maintenance = new BusMaintenance(registry, new OrphanRecovery(this.bus.redis(), settings, registry),
					Duration.ofMillis(200));
			survivor = new WorkerRunner(this.bus.redis(), settings, new AppSubscriptions(null), List.of(),
					KILLED_BATCH_SIZE, Duration.ofMillis(100));
			survivor.setPlainJobs(new ResqueJobRunner(settings,
					PlainJobFaultWorkerMain.jobs(this.bus.template(), this.bus.namespace(), 0)));
			survivor.setConsumerRegistry(registry);
			maintenance.start();
			survivor.start();
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
				.until(() -> !this.bus.members(keys.consumers()).contains(killed)
						&& this.bus.list(keys.queue(PlainJobFaultWorkerMain.QUEUE)).isEmpty()
						&& this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*").isEmpty());

			Map<Object, Object> handled = this.bus.hash(handledKey);
			Set<String> missing = new HashSet<>();
			for (int i = 0; i < JOBS; i++) {
				missing.add(Integer.toString(i));
			}
			missing.removeAll(handled.keySet());
			long runs = handled.values().stream().mapToLong((count) -> Long.parseLong((String) count)).sum();
			long duplicates = runs - handled.size();
			System.out.printf("FAULT kill -9 (plain Resque jobs): jobs=%d handledBeforeKill=%d inflightAtKill=%d "
					+ "lost=%d duplicates=%d (bound: killed worker's batch size %d)%n", JOBS, handledByKilled,
					inflightAtKill, missing.size(), duplicates, KILLED_BATCH_SIZE);
			assertThat(missing).as("lost jobs").isEmpty();
			assertThat(handled.keySet()).hasSize(JOBS);
			assertThat(duplicates).isLessThanOrEqualTo(inflightAtKill).isLessThanOrEqualTo(KILLED_BATCH_SIZE);
			assertThat(this.bus.list(keys.failed())).isEmpty();
		}
		finally {
			child.destroyForcibly();
			if (survivor != null) {
				survivor.stop();
			}
			if (maintenance != null) {
				maintenance.stop();
			}
		}
		assertThat(this.bus.members(keys.workers())).isEmpty();
	}

	private Process start(Path log) throws IOException {
		TestRedis.RedisEndpoint redis = TestRedis.shared();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), PlainJobFaultWorkerMain.class.getName(), redis.host(),
				Integer.toString(redis.port()), this.bus.namespace(), Integer.toString(KILLED_BATCH_SIZE),
				Long.toString(LEASE.toMillis()), "2");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

}
