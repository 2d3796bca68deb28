package io.resquebus.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.wire.BusAttributes;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delayed events in a Spring Boot app: the auto-configured scheduler, driver and worker deliver a
 * {@code publishIn} event to its handler, never before its due second. The context is closed
 * after the class, while the shared test Redis still runs.
 */
@SpringBootTest(classes = DelayedEventsTests.App.class)
@DirtiesContext
class DelayedEventsTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
		registry.add("resquebus.namespace", () -> "test-delayed-" + UUID.randomUUID().toString().substring(0, 8));
		registry.add("resquebus.app-key", () -> "delayed_app");
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
		registry.add("resquebus.driver.block-timeout", () -> "100ms");
		registry.add("resquebus.scheduler.poll-interval", () -> "250ms");
		registry.add("resquebus.scheduler.batch-size", () -> "20");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Reminders reminders;

	@Autowired
	SchedulerRunner scheduler;

	@Test
	void deliversAPublishInEventToItsHandlerNoEarlierThanItsDueSecond() {
		long before = Instant.now().getEpochSecond();
		String busId = this.bus.publishIn(Duration.ofSeconds(2), "reminder_due", Map.of("user_id", 5));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.reminders.received.stream().anyMatch((r) -> r.event().id().equals(busId)));
		Received received = this.reminders.received.stream()
			.filter((r) -> r.event().id().equals(busId))
			.findFirst()
			.orElseThrow();
		long due = ((Number) received.event().get(BusAttributes.DELAYED_UNTIL)).longValue();
		assertThat(due).isGreaterThanOrEqualTo(before + 2);
		assertThat(received.epochSecond()).isGreaterThanOrEqualTo(due);
		assertThat(received.event().get("user_id")).isEqualTo(5);
	}

	@Test
	void bindsTheSchedulerProperties() {
		assertThat(this.scheduler.isRunning()).isTrue();
		assertThat(this.scheduler.pollInterval()).isEqualTo(Duration.ofMillis(250));
		assertThat(this.scheduler.batchSize()).isEqualTo(20);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Reminders reminders() {
			return new Reminders();
		}

	}

	static class Reminders {

		final List<Received> received = new CopyOnWriteArrayList<>();

		@BusSubscriber("reminder_due")
		void onReminder(BusEvent event) {
			this.received.add(new Received(Instant.now().getEpochSecond(), event));
		}

	}

	record Received(long epochSecond, BusEvent event) {
	}

}
