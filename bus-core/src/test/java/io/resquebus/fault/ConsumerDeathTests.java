package io.resquebus.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.resquebus.BusHandler;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer thread that dies of an {@link Error} (here an {@link OutOfMemoryError} thrown by a
 * handler) is reported as failing, its lease is no longer renewed, and it is restarted after a
 * back-off: its in-flight jobs go back to the queue and run, and later events are handled.
 */
class ConsumerDeathTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void aConsumerKilledByAnErrorIsReportedStopsItsLeaseAndRestarts() throws Exception {
		BusKeys keys = this.bus.keys();
		ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(30));
		AtomicInteger poisonRuns = new AtomicInteger();
		CountDownLatch secondRunStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		BusHandler handler = (event) -> {
			if (event.id().equals("poison")) {
				if (poisonRuns.incrementAndGet() == 1) {
					throw new OutOfMemoryError("simulated by the test");
				}
				secondRunStarted.countDown();
				release.await(20, TimeUnit.SECONDS);
			}
			this.handled.add(event.id());
		};
		AtomicReference<Boolean> liveAfterDeath = new AtomicReference<>();
		AtomicReference<Map<String, String>> failedAtDeath = new AtomicReference<>();
		WorkerRunner worker = new WorkerRunner(this.bus.redis(), this.bus.settings(),
				FaultJobs.subscriptions(handler), List.of(), 5, Duration.ofMillis(100)) {
			@Override
			protected void died(int consumer, Throwable error) {
				super.died(consumer, error);
				liveAfterDeath.set(registry.isLive(consumerIds().get(0)));
				failedAtDeath.set(failedConsumers());
			}
		};
		worker.setConsumerRegistry(registry);
		this.bus.template().opsForList().rightPushAll(keys.queue(FaultJobs.QUEUE), FaultJobs.riderJob("a"),
				FaultJobs.riderJob("poison"), FaultJobs.riderJob("b"), FaultJobs.riderJob("c"));
		worker.start();
		Map<String, String> failedWhileRestarting;
		try {
			assertThat(secondRunStarted.await(30, TimeUnit.SECONDS)).as("restarted and ran the job again").isTrue();
			failedWhileRestarting = worker.failedConsumers();
			assertThat(registry.isLive(worker.consumerIds().get(0))).as("lease renewed again once restarted").isTrue();
			release.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 4);
			await().atMost(Duration.ofSeconds(20)).until(() -> worker.failedConsumers().isEmpty());
			this.bus.template().opsForList().rightPush(keys.queue(FaultJobs.QUEUE), FaultJobs.riderJob("later"));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("later"));
		}
		finally {
			release.countDown();
			worker.stop();
		}
		System.out.printf("FAULT consumer death: deaths=%d poisonRuns=%d failedAtDeath=%s leaseRenewedAfterDeath=%b "
				+ "handled=%s failedList=%d%n", worker.consumerDeaths(), poisonRuns.get(), failedAtDeath.get(),
				liveAfterDeath.get(), this.handled, this.bus.list(keys.failed()).size());
		assertThat(worker.consumerDeaths()).isEqualTo(1);
		assertThat(failedAtDeath.get()).containsOnlyKeys("resquebus-worker-0")
			.containsValue("died of java.lang.OutOfMemoryError: simulated by the test");
		assertThat(liveAfterDeath.get()).as("lease renewed after the death").isFalse();
		assertThat(failedWhileRestarting).as("failing until a poll completes again").containsOnlyKeys("resquebus-worker-0");
		assertThat(this.handled).containsExactly("a", "poison", "b", "c", "later");
		assertThat(this.bus.list(keys.failed())).isEmpty();
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*")).isEmpty();
		assertThat(this.bus.members(keys.consumers())).isEmpty();
	}

}
