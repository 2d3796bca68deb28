package io.resquebus.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.job.ResqueJobAutoConfiguration;
import io.resquebus.autoconfigure.observation.BusObservationAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.embedded.TestRedis;
import io.resquebus.job.JobOperations;
import io.resquebus.job.ResqueJob;
import io.resquebus.micrometer.BusMetrics;
import io.resquebus.micrometer.BusObservations;
import io.resquebus.micrometer.QueueGauges;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bus's meters and observations in a Spring Boot app on Redis, and the app without Micrometer.
 */
class BusMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class,
				BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class,
				BusListenerAutoConfiguration.class, BusMetricsAutoConfiguration.class,
				BusObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withUserConfiguration(Subscribers.class)
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-metrics-" + UUID.randomUUID().toString().substring(0, 8),
				"resquebus.app-key=metrics_app", "resquebus.driver.block-timeout=100ms",
				"resquebus.worker.block-timeout=100ms");

	@Test
	void recordsMetersOfAPublishedDrivenAndHandledEvent() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(BusMetrics.class).doesNotHaveBean(QueueGauges.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(BusOperations.class).publish("order_placed", Map.of("id", 1));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> registry.find(BusMetrics.HANDLED).timer() != null);
			Timer handled = registry.get(BusMetrics.HANDLED).timer();
			assertThat(handled.getId().getTags()).contains(Tag.of("app", "metrics_app"),
					Tag.of("queue", "metrics_app_default"), Tag.of("event.type", "order_placed"),
					Tag.of("outcome", "success"));
			assertThat(registry.get(BusMetrics.PUBLISHED).tag("event.type", "order_placed").counter().count())
				.isEqualTo(1);
			assertThat(registry.get(BusMetrics.DRIVEN).tag("queue", "metrics_app_default").counter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void recordsMetersOfPlainResqueJobsAsOfBusJobs() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ResqueJobAutoConfiguration.class))
			.withUserConfiguration(ArchiveJobs.class)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				JobOperations jobs = context.getBean(JobOperations.class);
				jobs.enqueue("file_serve", "Archive", 42, "masterbrew");
				jobs.enqueue("file_serve", "Archive", -1, "broken");
				await().atMost(Duration.ofSeconds(20))
					.until(() -> registry.find(BusMetrics.FAILED).tag("queue", "file_serve").counter() != null);
				Timer succeeded = registry.get(BusMetrics.HANDLED)
					.tags("queue", "file_serve", "subscription", "Archive", "outcome", "success")
					.timer();
				assertThat(succeeded.count()).isOne();
				assertThat(registry.get(BusMetrics.HANDLED)
					.tags("queue", "file_serve", "subscription", "Archive", "outcome", "failure")
					.timer()
					.count()).isOne();
				assertThat(registry.get(BusMetrics.FAILED)
					.tags("queue", "file_serve", "exception", "IllegalStateException")
					.counter()
					.count()).isOne();
			});
	}

	@Test
	void observesPlainResqueJobsAsBusJobs() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(ResqueJobAutoConfiguration.class))
			.withUserConfiguration(ArchiveJobs.class)
			.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.run((context) -> {
				TestObservationRegistry registry = (TestObservationRegistry) context.getBean(ObservationRegistry.class);
				context.getBean(JobOperations.class).enqueue("file_serve", "Archive", 42, "masterbrew");
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(registry)
					.hasObservationWithNameEqualTo("resquebus.handle")
					.that()
					.hasBeenStopped()
					.hasLowCardinalityKeyValue("resquebus.queue", "file_serve"));
			});
	}

	@Test
	void registersQueueGaugesOnlyWhenEnabled() {
		this.contextRunner.withPropertyValues("resquebus.metrics.queue-gauges.enabled=true",
				"resquebus.metrics.queue-gauges.cache-ttl=0s")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(BusOperations.class).publish("order_placed", Map.of());
				await().atMost(Duration.ofSeconds(20))
					.until(() -> registry.find(BusMetrics.HANDLED).timer() != null);
				assertThat(registry.get(QueueGauges.INFLIGHT_SIZE).gauge().value()).isZero();
				assertThat(registry.get(QueueGauges.QUEUE_SIZE).tag("queue", "metrics_app_default").gauge().value())
					.isZero();
			});
	}

	@Test
	void observesPublishAndHandleWithAnObservationRegistry() {
		this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create).run((context) -> {
			assertThat(context).hasSingleBean(BusObservations.class);
			TestObservationRegistry registry = (TestObservationRegistry) context.getBean(ObservationRegistry.class);
			context.getBean(BusOperations.class).publish("order_placed", Map.of());
			Subscribers subscribers = context.getBean(Subscribers.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> subscribers.handled.size() == 1);
			assertThat(registry).hasObservationWithNameEqualTo("resquebus.publish")
				.that()
				.hasLowCardinalityKeyValue("resquebus.event.type", "order_placed");
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(registry)
				.hasObservationWithNameEqualTo("resquebus.handle")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("resquebus.queue", "metrics_app_default"));
		});
	}

	@Test
	void startsAndDeliversWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.")).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(BusTemplate.class)
				.doesNotHaveBean(BusMetrics.class)
				.doesNotHaveBean(BusObservations.class);
			context.getBean(BusOperations.class).publish("order_placed", Map.of());
			Subscribers subscribers = context.getBean(Subscribers.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> subscribers.handled.size() == 1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ArchiveJobs {

		@ResqueJob(value = "Archive", queue = "file_serve")
		void archive(long repoId, String branch) {
			if (repoId < 0) {
				throw new IllegalStateException("no such repo " + repoId);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Subscribers {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@BusSubscriber("order_placed")
		void placed(BusEvent event) {
			this.handled.add(event.id());
		}

	}

}
