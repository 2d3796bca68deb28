package io.resquebus.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
		WorkerRunner survivor = null;
		BusMaintenance maintenance = null;
		try {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
				FaultWorkerMain.requireAlive(child, log);
				return this.bus.template().opsForHash().size(handledKey) >= KILL_AFTER;
			});
			child.destroyForcibly();
			assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).as("exit status of a process killed by SIGKILL").isEqualTo(128 + 9);

			long handledByKilled = this.bus.template().opsForHash().size(handledKey);
			assertThat(handledByKilled).as("killed mid-run").isLessThan(EVENTS);
			Set<String> killedConsumers = this.bus.members(keys.consumers());
			assertThat(killedConsumers).singleElement().asString().startsWith("java@fault-child:" + child.pid() + "-");
			String killed = killedConsumers.iterator().next();
			long inflightAtKill = this.bus.list(keys.inflight(FaultJobs.QUEUE, killed)).size();

			BusSettings settings = this.bus.settings();
			ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), settings, LEASE);
			maintenance = new BusMaintenance(registry, new OrphanRecovery(this.bus.redis(), settings, registry),
					Duration.ofMillis(200));
			survivor = new WorkerRunner(this.bus.redis(), settings, FaultJobs.subscriptions(
					(event) -> this.bus.template().opsForHash().increment(handledKey, event.id(), 1)), List.of(),
					KILLED_BATCH_SIZE, Duration.ofMillis(100));
			survivor.setConsumerRegistry(registry);
			maintenance.start();
			survivor.start();
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
				.until(() -> !this.bus.members(keys.consumers()).contains(killed)
						&& this.bus.list(keys.queue(FaultJobs.QUEUE)).isEmpty()
						&& this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*").isEmpty());

			Map<Object, Object> handled = this.bus.hash(handledKey);
			Set<String> missing = new HashSet<>(busIds);
			missing.removeAll(handled.keySet());
			long runs = handled.values().stream().mapToLong((count) -> Long.parseLong((String) count)).sum();
			long duplicates = runs - handled.size();
			System.out.printf("FAULT kill -9: events=%d handledBeforeKill=%d inflightAtKill=%d lost=%d "
					+ "duplicates=%d (bound: killed worker's batch size %d)%n", EVENTS, handledByKilled,
					inflightAtKill, missing.size(), duplicates, KILLED_BATCH_SIZE);
			assertThat(missing).as("lost events").isEmpty();
			assertThat(handled.keySet()).as("nothing but the published events ran").hasSize(EVENTS);
			assertThat(duplicates).isLessThanOrEqualTo(inflightAtKill).isLessThanOrEqualTo(KILLED_BATCH_SIZE);
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

}
