package io.resquebus.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.observation.BusObservationAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.embedded.TestRedis;
import io.resquebus.micrometer.BusMetrics;
import io.resquebus.publish.BusOperations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With an {@link ObservationRegistry} a handler call is timed once, by the {@code resquebus.handle}
 * observation (whose meter handler makes the timer), tagged with OpenTelemetry's messaging names;
 * the older {@code resquebus.jobs.handled} timer is only recorded without observations.
 */
class HandlerTimingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class,
				BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class,
				BusListenerAutoConfiguration.class, BusMetricsAutoConfiguration.class,
				BusObservationAutoConfiguration.class))
		.withUserConfiguration(Subscribers.class)
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-timing-" + UUID.randomUUID().toString().substring(0, 8),
				"resquebus.app-key=timing_app", "resquebus.driver.block-timeout=100ms",
				"resquebus.worker.block-timeout=100ms", "resquebus.scheduler.heartbeat=false");

	@Test
	void timesEachHandlerCallOnceThroughTheObservationWhenObservationsArePresent() {
		this.contextRunner.withUserConfiguration(Observed.class).run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);
			context.getBean(BusOperations.class).publish("order_placed", Map.of());
			Subscribers subscribers = context.getBean(Subscribers.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> subscribers.handled.size() == 1);
			await().atMost(Duration.ofSeconds(20)).until(() -> meters.find("resquebus.handle").timer() != null);
			Timer handle = meters.get("resquebus.handle").timer();
			assertThat(handle.count()).isEqualTo(1);
			assertThat(handle.getId().getTag("messaging.system")).isEqualTo("redis");
			assertThat(handle.getId().getTag("messaging.destination.name")).isEqualTo("timing_app_default");
			assertThat(handle.getId().getTag("outcome")).isEqualTo("success");
			assertThat(meters.find(BusMetrics.HANDLED).timers()).as("the older handler timer").isEmpty();
			assertThat(meters.find(BusMetrics.PUBLISHED).counter()).isNotNull();
			assertThat(observations).hasObservationWithNameEqualTo("resquebus.handle")
				.that()
				.hasLowCardinalityKeyValue("messaging.operation.type", "process")
				.hasLowCardinalityKeyValue("messaging.destination.name", "timing_app_default");
			assertThat(observations).hasObservationWithNameEqualTo("resquebus.publish")
				.that()
				.hasLowCardinalityKeyValue("messaging.operation.type", "send");
		});
	}

	@Test
	void timesHandlerCallsWithTheOlderTimerWithoutObservations() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			context.getBean(BusOperations.class).publish("order_placed", Map.of());
			await().atMost(Duration.ofSeconds(20)).until(() -> meters.find(BusMetrics.HANDLED).timer() != null);
			assertThat(meters.get(BusMetrics.HANDLED).timer().count()).isEqualTo(1);
			assertThat(meters.find("resquebus.handle").timers()).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Observed {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TestObservationRegistry observationRegistry(MeterRegistry meters) {
			TestObservationRegistry registry = TestObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			return registry;
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
