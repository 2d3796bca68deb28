package io.resquebus.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusHandler;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping a worker while several slow handlers run: they finish, fetched jobs that never
 * started go back to their queue, and nothing is left in flight. When handlers overrun the shutdown
 * timeout, the jobs not started still go back at once; each running job stays in flight, acknowledged
 * when its handler returns, or found by recovery once the lease expires if its process is gone.
 */
class GracefulStopTests {

	private static final int CONSUMERS = 3;

	private static final int JOBS = 40;

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final Set<String> started = ConcurrentHashMap.newKeySet();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void letsRunningHandlersFinishAndReturnsUnstartedJobsWhenStopped() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(30));
		WorkerRunner worker = worker(registry, (event) -> {
			this.started.add(event.id());
			release.await(20, TimeUnit.SECONDS);
			this.handled.add(event.id());
		});
		worker.setConsumers(CONSUMERS);
		List<String> busIds = pushJobs();
		worker.start();
		CompletableFuture<Void> stopping;
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.started.size() == CONSUMERS);
			stopping = CompletableFuture.runAsync(worker::stop);
			await().atMost(Duration.ofSeconds(5)).until(() -> !worker.isRunning());
		}
		finally {
			release.countDown();
		}
		stopping.get(20, TimeUnit.SECONDS);
		BusKeys keys = this.bus.keys();
		List<String> queued = this.bus.list(keys.queue(FaultJobs.QUEUE)).stream().map(FaultJobs::busId).toList();
		assertThat(this.handled).containsExactlyInAnyOrderElementsOf(this.started).hasSize(CONSUMERS);
		List<String> all = new ArrayList<>(this.handled);
		all.addAll(queued);
		assertThat(all).as("every job handled once or back on the queue").containsExactlyInAnyOrderElementsOf(busIds);
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*")).isEmpty();
		assertThat(this.bus.members(keys.workers())).isEmpty();
		assertThat(this.bus.members(keys.consumers())).isEmpty();
	}

	@Test
	void leavesTheJobOfAHandlerThatOverrunsTheShutdownTimeoutForRecovery() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(1));
		WorkerRunner worker = worker(registry, (event) -> {
			this.started.add(event.id());
			release.await(20, TimeUnit.SECONDS);
			this.handled.add(event.id());
		});
		worker.setShutdownTimeout(Duration.ofMillis(200));
		List<String> busIds = pushJobs();
		BusKeys keys = this.bus.keys();
		try {
			worker.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.started.size() == 1);
			String stuck = this.started.iterator().next();
			String consumer = worker.consumerIds().get(0);
			worker.stop();
			assertThat(this.handled).isEmpty();
			assertThat(this.bus.list(keys.inflight(FaultJobs.QUEUE, consumer))).extracting(FaultJobs::busId)
				.contains(stuck);
			OrphanRecovery recovery = new OrphanRecovery(this.bus.redis(), this.bus.settings(),
					new ConsumerRegistry(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(1)));
			await().atMost(Duration.ofSeconds(20)).until(() -> recovery.recover() > 0);
			assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*")).isEmpty();
			Set<String> queued = new HashSet<>(
					this.bus.list(keys.queue(FaultJobs.QUEUE)).stream().map(FaultJobs::busId).toList());
			assertThat(queued).contains(stuck).containsExactlyInAnyOrderElementsOf(busIds);
		}
		finally {
			release.countDown();
		}
		// The overrunning handler ends now; its acknowledgement finds its job gone from the in-flight list.
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
	}

	@Test
	void givesUnstartedJobsBackAtStopWhenHandlersOverrunTheShutdownTimeout() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(60));
		WorkerRunner worker = new WorkerRunner(this.bus.redis(), this.bus.settings(),
				FaultJobs.subscriptions((event) -> {
					this.started.add(event.id());
					release.await(20, TimeUnit.SECONDS);
					this.handled.add(event.id());
				}), List.of(), 10, Duration.ofMillis(100));
		worker.setConsumerRegistry(registry);
		worker.setConsumers(CONSUMERS);
		worker.setShutdownTimeout(Duration.ofMillis(200));
		List<String> busIds = pushJobs();
		BusKeys keys = this.bus.keys();
		List<String> queuedAfterStop;
		long inflightAfterStop;
		try {
			worker.start();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.started.size() == CONSUMERS);
			worker.stop();
			queuedAfterStop = this.bus.list(keys.queue(FaultJobs.QUEUE)).stream().map(FaultJobs::busId).toList();
			inflightAfterStop = FaultJobs.inflightJobs(this.bus);
			assertThat(this.handled).as("handlers still running").isEmpty();
		}
		finally {
			release.countDown();
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == CONSUMERS);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.members(keys.consumers()).isEmpty());
		int neverFetched = JOBS - CONSUMERS * 10;
		System.out.printf("FAULT stop overrun: consumers=%d batch=10 timeout=200ms running=%d queuedAfterStop=%d "
				+ "(unstarted back=%d) inflightAfterStop=%d inflightAfterHandlersEnd=%d%n", CONSUMERS,
				this.started.size(), queuedAfterStop.size(), queuedAfterStop.size() - neverFetched, inflightAfterStop,
				FaultJobs.inflightJobs(this.bus));
		assertThat(inflightAfterStop).as("only the running jobs stay in flight").isEqualTo(CONSUMERS);
		List<String> all = new ArrayList<>(this.started);
		all.addAll(queuedAfterStop);
		assertThat(all).containsExactlyInAnyOrderElementsOf(busIds);
		assertThat(queuedAfterStop.subList(queuedAfterStop.size() - neverFetched, queuedAfterStop.size()))
			.as("unstarted jobs went back ahead of those never fetched")
			.containsExactlyElementsOf(busIds.subList(JOBS - neverFetched, JOBS));
		assertThat(this.handled).containsExactlyInAnyOrderElementsOf(this.started);
		assertThat(FaultJobs.inflightJobs(this.bus)).as("the overrunning handlers acknowledged their jobs").isZero();
		assertThat(this.bus.members(keys.workers())).isEmpty();
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo(Integer.toString(CONSUMERS));
	}

	private WorkerRunner worker(ConsumerRegistry registry, BusHandler handler) {
		WorkerRunner worker = new WorkerRunner(this.bus.redis(), this.bus.settings(), FaultJobs.subscriptions(handler),
				List.of(), 4, Duration.ofMillis(100));
		worker.setConsumerRegistry(registry);
		return worker;
	}

	private List<String> pushJobs() {
		List<String> busIds = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			busIds.add("slow-" + i);
		}
		this.bus.template().opsForList().rightPushAll(this.bus.keys().queue(FaultJobs.QUEUE),
				busIds.stream().map(FaultJobs::riderJob).toList());
		return busIds;
	}

}
