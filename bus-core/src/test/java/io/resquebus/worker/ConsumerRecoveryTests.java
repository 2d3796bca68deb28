package io.resquebus.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumers are visible as Resque workers while they live, and the in-flight jobs of a dead
 * one go back to their queue, never those of a live one.
 */
class ConsumerRecoveryTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	@Test
	void registersAWorkerTheWayResqueDoesAndRemovesItOnStop() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ConsumerRegistry registry = registry(Duration.ofSeconds(30));
		WorkerRunner runner = runner(registry, (event) -> {
			running.countDown();
			release.await(20, TimeUnit.SECONDS);
		});
		BusKeys keys = this.bus.keys();
		String job = job("j1");
		this.bus.template().opsForList().rightPush(keys.queue("app_default"), job);
		runner.start();
		try {
			assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
			String id = runner.consumerIds().get(0);
			assertThat(id).matches("java@test-host:\\d+-\\d+:app_default");
			assertThat(this.bus.members(keys.workers())).containsExactly(id);
			assertThat((String) this.bus.hash(keys.workersHeartbeat()).get(id))
				.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
			assertThat(this.bus.get(keys.workerStarted(id))).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000");
			assertThat(this.bus.get(keys.worker(id)))
				.matches("\\{\"queue\":\"app_default\",\"run_at\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\",\"payload\":.*\\}")
				.endsWith(",\"payload\":" + job + "}");
			assertThat(this.bus.template().getExpire(keys.lease(id))).isBetween(1L, 30L);
			release.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.get(keys.worker(id)) == null);
		}
		finally {
			release.countDown();
			runner.stop();
		}
		String id = runner.consumerIds().get(0);
		assertThat(this.bus.members(keys.workers())).isEmpty();
		assertThat(this.bus.hash(keys.workersHeartbeat())).isEmpty();
		assertThat(this.bus.template().hasKey(keys.workerStarted(id))).isFalse();
		assertThat(this.bus.template().hasKey(keys.lease(id))).isFalse();
		assertThat(this.bus.members(keys.consumers())).isEmpty();
	}

	@Test
	void putsTheInflightJobsOfADeadConsumerBackAtTheHeadOfTheirQueue() {
		BusKeys keys = this.bus.keys();
		String dead = "gone-host:4242-1:app_critical,app_default";
		this.bus.template().opsForSet().add(keys.consumers(), dead);
		this.bus.template().opsForSet().add(keys.workers(), dead);
		this.bus.template().opsForList().rightPushAll(keys.inflight("app_default", dead), job("a"), job("b"));
		this.bus.template().opsForList().rightPushAll(keys.inflight("app_critical", dead), job("c"));
		this.bus.template().opsForList().rightPush(keys.queue("app_default"), job("later"));
		ConsumerRegistry registry = registry(Duration.ofSeconds(30));
		int recovered = new OrphanRecovery(this.bus.redis(), this.bus.settings(), registry).recover();
		assertThat(recovered).isEqualTo(3);
		assertThat(this.bus.list(keys.queue("app_default"))).extracting(this::busId).containsExactly("a", "b", "later");
		assertThat(this.bus.list(keys.queue("app_critical"))).extracting(this::busId).containsExactly("c");
		assertThat(this.bus.members(keys.queues())).contains("app_default", "app_critical");
		assertThat(this.bus.list(keys.inflight("app_default", dead))).isEmpty();
		assertThat(this.bus.members(keys.consumers())).isEmpty();
		assertThat(this.bus.members(keys.workers())).isEmpty();
	}

	@Test
	void leavesTheInflightJobsOfAConsumerWithALiveLeaseAlone() {
		BusKeys keys = this.bus.keys();
		String elsewhere = "other-host:77-1:app_default";
		this.bus.template().opsForSet().add(keys.consumers(), elsewhere);
		this.bus.template().opsForValue().set(keys.lease(elsewhere), "alive", Duration.ofSeconds(30));
		this.bus.template().opsForList().rightPush(keys.inflight("app_default", elsewhere), job("running"));
		int recovered = new OrphanRecovery(this.bus.redis(), this.bus.settings(), registry(Duration.ofSeconds(30)))
			.recover();
		assertThat(recovered).isZero();
		assertThat(this.bus.list(keys.inflight("app_default", elsewhere))).hasSize(1);
		assertThat(this.bus.list(keys.queue("app_default"))).isEmpty();
		assertThat(this.bus.members(keys.consumers())).containsExactly(elsewhere);
	}

	@Test
	void recoversTheJobsOfAConsumerThatStoppedRenewingItsLease() {
		BusKeys keys = this.bus.keys();
		ConsumerRegistry crashed = registry(Duration.ofSeconds(1));
		String id = "crashed-host:1-1:app_default";
		this.bus.redis().execute((connection) -> {
			crashed.register(connection, id);
			return null;
		});
		this.bus.template().opsForList().rightPush(keys.inflight("app_default", id), job("lost"));
		OrphanRecovery recovery = new OrphanRecovery(this.bus.redis(), this.bus.settings(),
				registry(Duration.ofSeconds(30)));
		assertThat(recovery.recover()).isZero();
		await().atMost(Duration.ofSeconds(10)).until(() -> recovery.recover() == 1);
		assertThat(this.bus.list(keys.queue("app_default"))).extracting(this::busId).containsExactly("lost");
	}

	private ConsumerRegistry registry(Duration lease) {
		return new ConsumerRegistry(this.bus.redis(), this.bus.settings(), lease);
	}

	private WorkerRunner runner(ConsumerRegistry registry, io.resquebus.BusHandler handler) {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"), handler, "t"));
		BusSettings settings = this.bus.settings();
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), settings, subscriptions, List.of(), 1,
				Duration.ofMillis(100));
		runner.setConsumerRegistry(registry);
		return runner;
	}

	private String job(String busId) {
		return this.codec.job(Map.of(BusAttributes.RIDER_APP_KEY, "app", BusAttributes.RIDER_SUB_KEY, "s_default",
				BusAttributes.ID, busId, BusAttributes.EVENT_TYPE, "e", BusAttributes.CLASS_PROXY, JobClasses.RIDER));
	}

	private String busId(String job) {
		return (String) this.codec.parseJob(job).event().get(BusAttributes.ID);
	}

}
