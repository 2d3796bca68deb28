package io.resquebus.autoconfigure.actuate;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.resquebus.BusSettings;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.failure.BusFailureAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusRecoveryAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusSchedulerAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
import io.resquebus.wire.BusAttributes;
import io.resquebus.worker.WorkerRunner;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code resquebus} health contributor: what it reports, DOWN on an unreachable Redis, and
 * absent when switched off or when Actuator is not on the classpath.
 */
class BusHealthContributorAutoConfigurationTests {

	static final AutoConfigurations BUS = AutoConfigurations.of(DataRedisAutoConfiguration.class,
			ResqueBusAutoConfiguration.class, BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class,
			BusSchedulerAutoConfiguration.class, BusRecoveryAutoConfiguration.class,
			BusFailureAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(BUS)
		.withConfiguration(AutoConfigurations.of(BusHealthContributorAutoConfiguration.class))
		.withUserConfiguration(Subscriber.class)
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-health-" + UUID.randomUUID().toString().substring(0, 8),
				"resquebus.app-key=app_h", "resquebus.driver.block-timeout=100ms",
				"resquebus.worker.block-timeout=100ms",
				// no minute heartbeat: it lands on bus_incoming, whose depth these tests read
				"resquebus.scheduler.heartbeat=false");

	@Test
	void isUpWithRunnerStatesQueueDepthsAndTheFailedCount() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("resquebusHealthIndicator");
			Health health = context.getBean("resquebusHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("runners",
					Map.of("driver", "running", "worker", "running", "scheduler", "running"))
				.containsEntry("failed", 0L)
				.containsEntry("queues",
						Map.of("app_h_default", Map.of("depth", 0L), "bus_incoming", Map.of("depth", 0L)));
		});
	}

	@Test
	void isDownWhileARunnerIsStoppedAndTellsTheAgeOfTheOldestWaitingJob() {
		this.contextRunner.run((context) -> {
			context.getBean(WorkerRunner.class).stop();
			BusSettings settings = context.getBean(BusSettings.class);
			long drivenAt = settings.clock().instant().getEpochSecond() - 60;
			Map<String, Object> event = new LinkedHashMap<>();
			event.put(BusAttributes.EVENT_TYPE, "thing_happened");
			event.put(BusAttributes.DRIVEN_AT, drivenAt);
			String job = settings.codec().job(event);
			context.getBean(BusRedis.class)
				.execute((connection) -> connection.listCommands()
					.rPush(BusRedis.bytes(settings.keys().queue("app_h_default")), BusRedis.bytes(job)));

			Health health = context.getBean("resquebusHealthIndicator", HealthIndicator.class).health();

			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("runners")).isEqualTo(
					Map.of("driver", "running", "worker", "stopped", "scheduler", "running"));
			Map<?, ?> queue = (Map<?, ?>) ((Map<?, ?>) health.getDetails().get("queues")).get("app_h_default");
			assertThat(queue.get("depth")).isEqualTo(1L);
			assertThat((Long) queue.get("oldestAgeSeconds")).isGreaterThanOrEqualTo(60L);
		});
	}

	@Test
	void isDownWhileAWorkerConsumerThatDiedOfAnErrorIsNotWorkingAgain() {
		this.contextRunner.withUserConfiguration(Exploder.class).run((context) -> {
			context.getBean(BusTemplate.class).publish("thing_exploded", Map.of("id", 1));
			HealthIndicator indicator = context.getBean("resquebusHealthIndicator", HealthIndicator.class);
			Awaitility.await()
				.atMost(Duration.ofSeconds(20))
				.until(() -> indicator.health().getStatus().equals(Status.DOWN));
			Health health = indicator.health();
			assertThat(health.getDetails().get("runners")).isEqualTo(
					Map.of("driver", "running", "worker", "failing", "scheduler", "running"));
			assertThat(health.getDetails().get("failedConsumers")).isEqualTo(Map.of("worker",
					Map.of("resquebus-worker-0", "died of java.lang.OutOfMemoryError: thrown by the test")));
		});
	}

	@Test
	void isDownWhenRedisIsUnreachable() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		this.contextRunner
			.withPropertyValues("spring.data.redis.url=redis://127.0.0.1:" + closedPort,
					"spring.data.redis.timeout=200ms", "spring.data.redis.connect-timeout=200ms",
					"resquebus.driver.enabled=false", "resquebus.worker.enabled=false",
					"resquebus.scheduler.enabled=false", "resquebus.register-subscriptions=false")
			.run((context) -> {
				Health health = context.getBean("resquebusHealthIndicator", HealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsKey("error");
			});
	}

	@Test
	void isSwitchedOffByProperty() {
		this.contextRunner.withPropertyValues("management.health.resquebus.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(BusTemplate.class)
				.doesNotHaveBean("resquebusHealthIndicator"));
	}

	@Test
	void startsWithoutActuatorOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class, Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(BusTemplate.class)
				.hasSingleBean(WorkerRunner.class)
				.doesNotHaveBean("resquebusHealthIndicator"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Exploder {

		@Bean
		Object exploder() {
			return new Object() {

				@BusSubscriber("thing_exploded")
				void onExplosion(Map<String, Object> event) {
					throw new OutOfMemoryError("thrown by the test");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Subscriber {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		@BusSubscriber("thing_happened")
		void onThing(Map<String, Object> event) {
		}

	}

}
