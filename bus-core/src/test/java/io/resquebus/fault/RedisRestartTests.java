package io.resquebus.fault;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.publish.BusPublishException;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stops and comes back on the same port (with its append-only file) while events are
 * published, driven and worked: publishes during the outage fail with {@link BusPublishException}
 * instead of hanging, every acknowledged publish is handled in the end, and the driver and worker
 * carry on by themselves.
 */
class RedisRestartTests {

	/** Lettuce's default is 60 s, during which a publish waits for Redis to come back. */
	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

	@Test
	void losesNoAcknowledgedPublishAcrossARedisRestartAndResumesWithoutHelp() throws Exception {
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().keepDataAcrossRestarts(true)
			.arg("--appendonly", "yes", "--appendfsync", "always").build();
		server.start();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()),
				LettuceClientConfiguration.builder().commandTimeout(COMMAND_TIMEOUT).build());
		factory.afterPropertiesSet();
		factory.start();
		BusRedis redis = new BusRedis(factory);
		BusSettings settings = BusSettings.defaults()
			.withKeys(new BusKeys("test-" + UUID.randomUUID().toString().substring(0, 8)))
			.withHostname("test-host");
		Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
		AppSubscriptions subscriptions = FaultJobs
			.subscriptions((event) -> handled.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet());
		SubscriptionRegistry subscriptionRegistry = new SubscriptionRegistry(redis, settings.keys(), settings.codec(),
				Duration.ZERO, Clock.systemUTC());
		subscriptionRegistry.subscribe(FaultJobs.APP, subscriptions.entries());
		ConsumerRegistry consumers = new ConsumerRegistry(redis, settings, Duration.ofSeconds(30));
		BusMaintenance maintenance = new BusMaintenance(consumers, new OrphanRecovery(redis, settings, consumers),
				Duration.ofSeconds(1));
		DriverRunner driver = new DriverRunner(redis, settings, subscriptionRegistry, 10, Duration.ofMillis(100));
		driver.setConsumerRegistry(consumers);
		WorkerRunner worker = new WorkerRunner(redis, settings, subscriptions, List.of(), 10, Duration.ofMillis(100));
		worker.setConsumerRegistry(consumers);
		Publisher publisher = new Publisher(new BusTemplate(redis, settings));
		maintenance.start();
		driver.start();
		worker.start();
		publisher.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() >= 100);
			server.stop();
			await().atMost(Duration.ofSeconds(30)).until(() -> publisher.failed.get() >= 2);
			server.start();
			int ackedBeforeRestart = publisher.acknowledged.size();
			await().atMost(Duration.ofSeconds(60)).until(() -> publisher.acknowledged.size() >= ackedBeforeRestart + 100);
			publisher.finish();
			try {
				await().atMost(Duration.ofSeconds(60)).until(() -> handled.keySet().containsAll(publisher.acknowledged));
			}
			catch (ConditionTimeoutException ex) {
				// reported as lost events below
			}
			Set<String> lost = new HashSet<>(publisher.acknowledged);
			lost.removeAll(handled.keySet());
			Set<String> unacknowledgedButHandled = new HashSet<>(handled.keySet());
			unacknowledgedButHandled.removeAll(publisher.acknowledged);
			long duplicates = handled.values().stream().mapToInt((count) -> count.get() - 1).sum();
			System.out.printf("FAULT redis restart: publishes=%d acknowledged=%d failedDuringOutage=%d lost=%d "
					+ "duplicates=%d failedButHandled=%d%n", publisher.acknowledged.size() + publisher.failed.get(),
					publisher.acknowledged.size(), publisher.failed.get(), lost.size(), duplicates,
					unacknowledgedButHandled.size());
			assertThat(lost).as("acknowledged publishes never handled").isEmpty();
			assertThat(publisher.firstFailure.get()).isNotNull()
				.hasMessageContaining("Redis at " + server.host() + ":" + server.port());
			assertThat(driver.isRunning()).isTrue();
			assertThat(worker.isRunning()).isTrue();
		}
		finally {
			publisher.finish();
			worker.stop();
			driver.stop();
			maintenance.stop();
			factory.destroy();
			server.close();
		}
	}

	/** Publishes one event after another until told to finish, noting which were acknowledged. */
	private static final class Publisher extends Thread {

		final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

		final AtomicInteger failed = new AtomicInteger();

		final AtomicReference<BusPublishException> firstFailure = new AtomicReference<>();

		private final BusTemplate template;

		private volatile boolean finished;

		Publisher(BusTemplate template) {
			super("fault-publisher");
			setDaemon(true);
			this.template = template;
		}

		@Override
		public void run() {
			for (int n = 0; !this.finished; n++) {
				try {
					this.acknowledged.add(this.template.publish(FaultJobs.EVENT_TYPE, Map.of("n", n)));
				}
				catch (BusPublishException ex) {
					this.firstFailure.compareAndSet(null, ex);
					this.failed.incrementAndGet();
				}
				try {
					Thread.sleep(2);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void finish() throws InterruptedException {
			this.finished = true;
			join(10_000);
		}

	}

}
