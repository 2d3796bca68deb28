package io.resquebus.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.RubyWorkerPruner;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ruby workers starting on the same host as a Java process (Resque's {@code prune_dead_workers},
 * ported in {@link RubyWorkerPruner}) leave its live workers and driver alone, and a Java consumer
 * that was unregistered anyway comes back with every key.
 */
class RubyPruneDeadWorkersTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private BusSettings settings;

	@BeforeEach
	void defaultHostname() {
		// The default host name: the case where Ruby's gethostname and Java's agree.
		this.settings = BusSettings.defaults().withKeys(this.bus.keys()).withHostname(BusSettings.localHostname());
	}

	@Test
	void noRubyWorkerOnTheSameHostPrunesALiveJavaWorkerOrDriver() throws Exception {
		String host = this.settings.hostname();
		BusKeys keys = this.bus.keys();
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), this.settings, Duration.ofSeconds(30));
		WorkerRunner worker = worker(registry, running, release);
		DriverRunner driver = new DriverRunner(this.bus.redis(), this.settings, new SubscriptionRegistry(
				this.bus.redis(), keys, this.settings.codec(), Duration.ZERO, this.settings.clock()), 1,
				Duration.ofMillis(100));
		driver.setConsumerRegistry(registry);
		this.bus.template().opsForList().rightPush(keys.queue("app_default"), job());
		worker.start();
		driver.start();
		try {
			assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.members(keys.workers()).size() == 2);
			List<String> java = new ArrayList<>(this.bus.members(keys.workers()));
			String workerId = worker.consumerIds().get(0);
			String record = this.bus.get(keys.worker(workerId));
			assertThat(record).isNotNull();
			// A dead Ruby worker of the same host and queues: the port must prune it, or it proves nothing.
			String deadRuby = host + ":99999999:app_default";
			this.bus.template().opsForSet().add(keys.workers(), deadRuby);
			List<RubyWorkerPruner> pruners = List.of(RubyWorkerPruner.resque1(host, "app_default"),
					RubyWorkerPruner.resque1(host, "*"), RubyWorkerPruner.resque1(host, "bus_incoming"),
					RubyWorkerPruner.resque2(host, "app_default"), RubyWorkerPruner.resque2(host, "*"),
					RubyWorkerPruner.resque2(host, "bus_incoming"));
			List<String> pruned = new ArrayList<>();
			for (RubyWorkerPruner pruner : pruners) {
				pruned.addAll(pruner.prune(this.bus.template(), keys));
			}
			System.out.printf("FAULT ruby prune_dead_workers on the Java host: pruners=%d (Resque 1.x and 2.x/3.x on "
					+ "app_default, *, bus_incoming) liveJavaIds=%d javaPruned=%d deadRubyPruned=%d failedEntries=%d%n",
					pruners.size(), java.size(), pruned.stream().filter((id) -> java.contains(id)).count(),
					pruned.stream().filter(deadRuby::equals).count(), this.bus.list(keys.failed()).size());
			assertThat(pruned).containsExactly(deadRuby);
			assertThat(this.bus.members(keys.workers())).containsExactlyInAnyOrderElementsOf(java);
			assertThat(this.bus.list(keys.failed())).isEmpty();
			assertThat(this.bus.get(keys.worker(workerId))).isEqualTo(record);
			assertThat(java).allSatisfy((id) -> assertThat(id).startsWith("java@" + host + ":"));
		}
		finally {
			release.countDown();
			driver.stop();
			worker.stop();
		}
	}

	@Test
	void reRegistrationRestoresEveryKeyARubyPrunerDeleted() throws Exception {
		BusKeys keys = this.bus.keys();
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), this.settings, Duration.ofSeconds(30));
		WorkerRunner worker = worker(registry, running, release);
		this.bus.template().opsForList().rightPush(keys.queue("app_default"), job());
		worker.start();
		try {
			assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
			String id = worker.consumerIds().get(0);
			String started = this.bus.get(keys.workerStarted(id));
			String record = this.bus.get(keys.worker(id));
			assertThat(started).isNotNull();
			assertThat(record).isNotNull();
			// As a Ruby pruner would, e.g. after a stall longer than Resque's prune interval.
			RubyWorkerPruner.unregister(this.bus.template(), keys, id, "Resque::DirtyExit", "Job still being processed");
			assertThat(this.bus.members(keys.workers())).isEmpty();
			registry.renewAll();
			assertThat(this.bus.members(keys.workers())).containsExactly(id);
			assertThat(this.bus.get(keys.workerStarted(id))).isEqualTo(started);
			assertThat(this.bus.get(keys.worker(id))).isEqualTo(record);
			assertThat(this.bus.hash(keys.workersHeartbeat())).containsKey(id);
			assertThat(this.bus.template().hasKey(keys.lease(id))).isTrue();
			release.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.get(keys.worker(id)) == null);
			// An idle consumer's renewal writes no job record.
			RubyWorkerPruner.unregister(this.bus.template(), keys, id, "Resque::DirtyExit", "Job still being processed");
			registry.renewAll();
			assertThat(this.bus.get(keys.worker(id))).isNull();
			assertThat(this.bus.get(keys.workerStarted(id))).isEqualTo(started);
		}
		finally {
			release.countDown();
			worker.stop();
		}
	}

	private WorkerRunner worker(ConsumerRegistry registry, CountDownLatch running, CountDownLatch release) {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"), (event) -> {
			running.countDown();
			release.await(20, TimeUnit.SECONDS);
		}, "t"));
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), this.settings, subscriptions, List.of(), 1,
				Duration.ofMillis(100));
		runner.setConsumerRegistry(registry);
		return runner;
	}

	private String job() {
		return new WireCodec().job(Map.of(BusAttributes.RIDER_APP_KEY, "app", BusAttributes.RIDER_SUB_KEY,
				"s_default", BusAttributes.ID, "j1", BusAttributes.EVENT_TYPE, "e", BusAttributes.CLASS_PROXY,
				JobClasses.RIDER));
	}

}
