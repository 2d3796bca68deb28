package io.resquebus.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.job.JobRequest;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.job.ResqueTemplate;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
		Process child = FaultWorkerMain.start(PlainJobFaultWorkerMain.class, log, 256, this.bus.namespace(),
				Integer.toString(KILLED_BATCH_SIZE), Long.toString(LEASE.toMillis()), "2");
		KilledWorkerRun.Survivor survivor = null;
		try {
			long handledByKilled = KilledWorkerRun.killWhenHandled(this.bus, child, log, handledKey, KILL_AFTER);
			assertThat(handledByKilled).as("killed mid-run").isLessThan(JOBS);
			String killed = this.bus.members(keys.consumers()).iterator().next();
			long inflightAtKill = this.bus.list(keys.inflight(PlainJobFaultWorkerMain.QUEUE, killed)).size();

			survivor = KilledWorkerRun.startSurvivor(this.bus, new AppSubscriptions(null), KILLED_BATCH_SIZE, LEASE,
					(worker) -> worker.setPlainJobs(new ResqueJobRunner(this.bus.settings(),
							PlainJobFaultWorkerMain.jobs(this.bus.template(), this.bus.namespace(), 0))));
			KilledWorkerRun.awaitRecovered(this.bus, killed, PlainJobFaultWorkerMain.QUEUE);

			List<String> ids = new ArrayList<>();
			for (int i = 0; i < JOBS; i++) {
				ids.add(Integer.toString(i));
			}
			KilledWorkerRun.Tally tally = KilledWorkerRun.tally(this.bus, handledKey, ids);
			System.out.printf("FAULT kill -9 (plain Resque jobs): jobs=%d handledBeforeKill=%d inflightAtKill=%d "
					+ "lost=%d duplicates=%d (bound: killed worker's batch size %d)%n", JOBS, handledByKilled,
					inflightAtKill, tally.missing().size(), tally.duplicates(), KILLED_BATCH_SIZE);
			assertThat(tally.missing()).as("lost jobs").isEmpty();
			assertThat(tally.ran()).hasSize(JOBS);
			assertThat(tally.duplicates()).isLessThanOrEqualTo(inflightAtKill)
				.isLessThanOrEqualTo(KILLED_BATCH_SIZE);
			assertThat(this.bus.list(keys.failed())).isEmpty();
		}
		finally {
			child.destroyForcibly();
			if (survivor != null) {
				survivor.stop();
			}
		}
		assertThat(this.bus.members(keys.workers())).isEmpty();
	}

}
