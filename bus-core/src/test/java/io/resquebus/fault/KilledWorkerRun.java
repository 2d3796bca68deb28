package io.resquebus.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.resquebus.BusSettings;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.support.TestBus;
import io.resquebus.worker.WorkerRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The steps the kill -9 tests share ({@link KillWorkerTests}, {@link PlainJobKillWorkerTests}):
 * kill a worker process mid-run, let a survivor in this process recover its jobs, and count what
 * ran (each handler counts its runs in a hash, by id).
 */
final class KilledWorkerRun {

	private KilledWorkerRun() {
	}

	/**
	 * Waits until the worker process has counted {@code killAfter} ids in {@code handledKey}, kills
	 * it with SIGKILL, and returns how many it had counted.
	 */
	static long killWhenHandled(TestBus bus, Process child, Path log, String handledKey, int killAfter)
			throws InterruptedException {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
			FaultWorkerMain.requireAlive(child, log);
			return bus.template().opsForHash().size(handledKey) >= killAfter;
		});
		child.destroyForcibly();
		assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(child.exitValue()).as("exit status of a process killed by SIGKILL").isEqualTo(128 + 9);
		return bus.template().opsForHash().size(handledKey);
	}

	/**
	 * Starts a worker with leases and recovery in this process; {@code configure} may add to it
	 * before it starts.
	 */
	static Survivor startSurvivor(TestBus bus, AppSubscriptions subscriptions, int batchSize, Duration lease,
			Consumer<WorkerRunner> configure) {
		BusSettings settings = bus.settings();
		ConsumerRegistry registry = new ConsumerRegistry(bus.redis(), settings, lease);
		BusMaintenance maintenance = new BusMaintenance(registry,
				new OrphanRecovery(bus.redis(), settings, registry), Duration.ofMillis(200));
		WorkerRunner worker = new WorkerRunner(bus.redis(), settings, subscriptions, List.of(), batchSize,
				Duration.ofMillis(100));
		configure.accept(worker);
		worker.setConsumerRegistry(registry);
		maintenance.start();
		worker.start();
		return new Survivor(worker, maintenance);
	}

	/**
	 * Waits until the killed consumer's lease has expired and been recovered and {@code queue} and
	 * every in-flight list are empty.
	 */
	static void awaitRecovered(TestBus bus, String killed, String queue) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
			.until(() -> !bus.members(bus.keys().consumers()).contains(killed)
					&& bus.list(bus.keys().queue(queue)).isEmpty()
					&& bus.template().keys("{" + bus.namespace() + ":queue:*}:inflight:*").isEmpty());
	}

	/** Counts the runs in {@code handledKey} against the ids that should each have run once. */
	static Tally tally(TestBus bus, String handledKey, Collection<String> expected) {
		Map<Object, Object> handled = bus.hash(handledKey);
		Set<String> missing = new HashSet<>(expected);
		missing.removeAll(handled.keySet());
		long runs = handled.values().stream().mapToLong((count) -> Long.parseLong((String) count)).sum();
		return new Tally(handled.keySet(), missing, runs - handled.size());
	}

	/** The survivor worker and its maintenance; stopping it stops both. */
	record Survivor(WorkerRunner worker, BusMaintenance maintenance) {

		void stop() {
			this.worker.stop();
			this.maintenance.stop();
		}

	}

	/**
	 * What ran: the ids that ran at least once, those expected that never ran, and the runs beyond
	 * the first.
	 */
	record Tally(Set<Object> ran, Set<String> missing, long duplicates) {
	}

}
