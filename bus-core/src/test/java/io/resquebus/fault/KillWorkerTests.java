package io.resquebus.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker process killed with SIGKILL in the middle of a run loses nothing: once its lease
 * expires, a worker in another process puts its in-flight jobs back and finishes the run. Only
 * jobs the killed worker had taken can run twice.
 */
class KillWorkerTests {

	private static final int EVENTS = 3000;

	private static final int KILLED_BATCH_SIZE = 20;

	private static final int KILL_AFTER = 300;

	private static final Duration LEASE = Duration.ofSeconds(2);

	@RegisterExtension
	final TestBus bus = new TestBus();

	@TempDir
	Path tmp;

	@Test
	void losesNoEventWhenAWorkerProcessIsKilledMidRunAndRunsTwiceAtMostItsInflightBatch() throws Exception {
		BusKeys keys = this.bus.keys();
		List<String> busIds = new ArrayList<>(EVENTS);
		List<String> jobs = new ArrayList<>(EVENTS);
		for (int i = 0; i < EVENTS; i++) {
			String busId = "fault-" + i;
			busIds.add(busId);
			jobs.add(FaultJobs.riderJob(busId));
		}
		for (int from = 0; from < EVENTS; from += 500) {
			this.bus.template().opsForList().rightPushAll(keys.queue(FaultJobs.QUEUE),
					jobs.subList(from, Math.min(EVENTS, from + 500)));
		}
		String handledKey = FaultJobs.handledKey(this.bus.namespace());
		Path log = this.tmp.resolve("worker.log");
		Process child = FaultWorkerMain.start(log, 256, this.bus.namespace(), Integer.toString(KILLED_BATCH_SIZE),
				Long.toString(LEASE.toMillis()), "2");
		KilledWorkerRun.Survivor survivor = null;
		try {
			long handledByKilled = KilledWorkerRun.killWhenHandled(this.bus, child, log, handledKey, KILL_AFTER);
			assertThat(handledByKilled).as("killed mid-run").isLessThan(EVENTS);
			Set<String> killedConsumers = this.bus.members(keys.consumers());
			assertThat(killedConsumers).singleElement().asString().startsWith("java@fault-child:" + child.pid() + "-");
			String killed = killedConsumers.iterator().next();
			long inflightAtKill = this.bus.list(keys.inflight(FaultJobs.QUEUE, killed)).size();

			survivor = KilledWorkerRun.startSurvivor(this.bus, FaultJobs.subscriptions(
					(event) -> this.bus.template().opsForHash().increment(handledKey, event.id(), 1)),
					KILLED_BATCH_SIZE, LEASE, (worker) -> {
					});
			KilledWorkerRun.awaitRecovered(this.bus, killed, FaultJobs.QUEUE);

			KilledWorkerRun.Tally tally = KilledWorkerRun.tally(this.bus, handledKey, busIds);
			System.out.printf("FAULT kill -9: events=%d handledBeforeKill=%d inflightAtKill=%d lost=%d "
					+ "duplicates=%d (bound: killed worker's batch size %d)%n", EVENTS, handledByKilled,
					inflightAtKill, tally.missing().size(), tally.duplicates(), KILLED_BATCH_SIZE);
			assertThat(tally.missing()).as("lost events").isEmpty();
			assertThat(tally.ran()).as("nothing but the published events ran").hasSize(EVENTS);
			assertThat(tally.duplicates()).isLessThanOrEqualTo(inflightAtKill)
				.isLessThanOrEqualTo(KILLED_BATCH_SIZE);
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
