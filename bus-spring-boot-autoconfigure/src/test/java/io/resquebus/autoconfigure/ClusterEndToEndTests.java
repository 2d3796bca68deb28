package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.annotation.Critical;
import io.resquebus.annotation.Retry;
import io.resquebus.autoconfigure.cluster.ClusterModeCheck;
import io.resquebus.failure.FailedJob;
import io.resquebus.failure.FailedJobs;
import io.resquebus.inspect.BusInspector;
import io.resquebus.inspect.BusInspector.Totals;
import io.resquebus.publish.BusOperations;
import io.resquebus.redis.BusRedis;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bus on a local Redis Cluster (3 masters, 3 replicas) through {@code spring.data.redis.cluster.*}:
 * publish, drive, work, delayed events, retries and failures, with every command in one slot.
 */
@SpringBootTest(classes = ClusterEndToEndTests.App.class)
@EnabledIf("io.resquebus.autoconfigure.TestCluster#available")
class ClusterEndToEndTests {

	static final String NAMESPACE = "test-cluster-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", TestCluster::nodes);
		registry.add("resquebus.namespace", () -> NAMESPACE);
		registry.add("resquebus.app-key", () -> "cluster_app");
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
		registry.add("resquebus.driver.block-timeout", () -> "100ms");
		registry.add("resquebus.scheduler.poll-interval", () -> "100ms");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	BusRedis busRedis;

	@Autowired
	ClusterModeCheck clusterMode;

	@Autowired
	Recorder recorder;

	@Autowired
	BusInspector inspector;

	@Autowired
	FailedJobs failedJobs;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void runsInClusterModeOnAClusterConnectionFactory() {
		assertThat(this.busRedis.cluster()).isTrue();
		assertThat(this.clusterMode.cluster()).isTrue();
		LettuceConnectionFactory factory = (LettuceConnectionFactory) this.busRedis.connectionFactory();
		assertThat(factory.getClientConfiguration().getClientOptions()).hasValueSatisfying((options) -> assertThat(
				((io.lettuce.core.cluster.ClusterClientOptions) options).getTopologyRefreshOptions()
					.getAdaptiveRefreshTriggers())
			.isNotEmpty());
	}

	@Test
	void deliversAnEventToEveryMatchingSubscriptionAcrossShards() {
		String busId = this.bus.publish("user_created", Map.of("id", 42));
		awaitHandled(busId, "created", "anyUserEvent");
		assertThat(this.recorder.handlersOf(busId)).containsExactlyInAnyOrder("created", "anyUserEvent");
		assertThat(this.redis.opsForSet().members(keys().queues())).contains("cluster_app_default");
	}

	@Test
	void deliversCriticalEventsThroughTheCriticalQueue() {
		String busId = this.bus.publish("user_paid", Map.of());
		awaitHandled(busId, "critical", "anyUserEvent");
		assertThat(this.redis.opsForSet().members(keys().queues())).contains("cluster_app_critical");
	}

	@Test
	void deliversADelayedEventOnceDue() {
		String busId = this.bus.publishIn(Duration.ofSeconds(1), "reminder_due", Map.of());
		awaitHandled(busId, "reminder");
	}

	@Test
	void readsQueuesWorkersScheduleAndTotalsOneSlotAtATime() {
		String later = this.bus.publishIn(Duration.ofHours(1), "reminder_due", Map.of());
		String busId = this.bus.publish("user_created", Map.of("id", 1));
		awaitHandled(busId, "created");
		await().atMost(Duration.ofSeconds(20)).until(() -> !this.inspector.workers("0", 100).workers().isEmpty());
		Totals totals = this.inspector.totals(10);
		assertThat(totals.processed()).isPositive();
		assertThat(totals.workers()).isPositive();
		assertThat(totals.redisVersion()).isNotBlank();
		assertThat(this.inspector.queueNames()).contains("bus_incoming", "cluster_app_default");
		assertThat(this.inspector.depths(List.of("bus_incoming", "cluster_app_default", "cluster_app_critical")))
			.hasSize(3);
		assertThat(this.inspector.workers("0", 100).workers()).allSatisfy((worker) -> assertThat(worker.heartbeat()).isNotNull());
		assertThat(this.inspector.schedule().timestamps()).isPositive();
		assertThat(this.inspector.delayed(0, 100, 10))
			.anySatisfy((slot) -> assertThat(slot.items()).anySatisfy((item) -> assertThat(item.text()).contains(later)));
		assertThat(this.inspector.peek("cluster_app_default", 0, 10).depth()).isNotNegative();
	}

	@Test
	void retriesAJobFromTheFailedListOntoItsQueue() {
		String busId = this.bus.publish("fails_once", Map.of());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> failedEntries().stream().anyMatch((entry) -> entry.contains(busId)));
		FailedJob failed = this.failedJobs.list(0, 100)
			.stream()
			.filter((job) -> job.raw().contains(busId))
			.findFirst()
			.orElseThrow();
		assertThat(this.failedJobs.retryAndRemove(failed)).isTrue();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.recorder.handlersOf(busId)).containsExactly("failsOnce", "failsOnce"));
		assertThat(failedEntries()).noneMatch((entry) -> entry.contains(busId));
	}

	@Test
	void runsAFlakyHandlerAgainOnceItsRetryIsDue() {
		String busId = this.bus.publish("flaky", Map.of());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.recorder.handlersOf(busId)).containsExactly("flaky", "flaky"));
	}

	@Test
	void sendsAThrowingHandlersJobToTheFailedList() {
		String busId = this.bus.publish("boom", Map.of());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> failedEntries().stream().anyMatch((entry) -> entry.contains(busId)));
		assertThat(this.redis.opsForValue().get(keys().statFailed())).isNotNull();
	}

	@Test
	void registersTheSubscriptionsAndTheWorkers() {
		assertThat(this.redis.opsForSet().members(keys().apps())).contains("cluster_app");
		assertThat(this.redis.opsForHash().keys(keys().app("cluster_app"))).contains("Handlers.created",
				"Handlers.anyUserEvent");
		await().atMost(Duration.ofSeconds(20)).until(() -> !members(keys().workers()).isEmpty());
		assertThat(members(keys().consumers())).containsAll(members(keys().workers()));
	}

	private Set<String> members(String key) {
		Set<String> members = this.redis.opsForSet().members(key);
		return (members != null) ? members : Set.of();
	}

	private List<String> failedEntries() {
		List<String> entries = this.redis.opsForList().range(keys().failed(), 0, -1);
		return (entries != null) ? entries : new ArrayList<>();
	}

	private BusKeys keys() {
		return new BusKeys(NAMESPACE);
	}

	private void awaitHandled(String busId, String... handlers) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.recorder.handlersOf(busId)).contains(handlers));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		Handlers handlers(Recorder recorder) {
			return new Handlers(recorder);
		}

	}

	static class Handlers {

		private final Recorder recorder;

		Handlers(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber("user_created")
		void created(BusEvent event) {
			this.recorder.record("created", event.id());
		}

		@BusSubscriber(pattern = "^user_")
		void anyUserEvent(BusEvent event) {
			this.recorder.record("anyUserEvent", event.id());
		}

		@Critical("user_paid")
		void critical(BusEvent event) {
			this.recorder.record("critical", event.id());
		}

		@BusSubscriber("reminder_due")
		void reminder(BusEvent event) {
			this.recorder.record("reminder", event.id());
		}

		@BusSubscriber(value = "flaky", retry = @Retry(attempts = 2, delay = "1s"))
		void flaky(BusEvent event) {
			this.recorder.record("flaky", event.id());
			if (this.recorder.handlersOf(event.id()).size() == 1) {
				throw new IllegalStateException("first run fails");
			}
		}

		@BusSubscriber(value = "fails_once", retry = @Retry(attempts = 1))
		void failsOnce(BusEvent event) {
			this.recorder.record("failsOnce", event.id());
			if (this.recorder.handlersOf(event.id()).size() == 1) {
				throw new IllegalStateException("first run fails");
			}
		}

		@BusSubscriber(value = "boom", retry = @Retry(attempts = 1))
		void boom() {
			throw new IllegalStateException("boom handler failed");
		}

	}

}
