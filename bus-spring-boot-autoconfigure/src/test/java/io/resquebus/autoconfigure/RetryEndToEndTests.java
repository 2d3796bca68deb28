package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.annotation.Retry;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries in a Spring Boot app over a real Redis: the default resque-retry policy and a
 * subscription's own {@link Retry}, brought back by the app's own scheduler.
 */
@SpringBootTest(classes = RetryEndToEndTests.App.class)
class RetryEndToEndTests {

	static final String NAMESPACE = "test-retry-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
		registry.add("resquebus.namespace", () -> NAMESPACE);
		registry.add("resquebus.app-key", () -> "retry_app");
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
		registry.add("resquebus.driver.block-timeout", () -> "100ms");
		registry.add("resquebus.scheduler.poll-interval", () -> "100ms");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Recorder recorder;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void runsAFlakyHandlerAgainOnceItsDelayedRetryIsDue() {
		Set<String> countersBefore = this.redis.keys(NAMESPACE + ":resque-retry:*");
		String busId = this.bus.publish("flaky", Map.of());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.recorder.handlersOf(busId)).containsExactly("flaky", "flaky"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.redis.keys(NAMESPACE + ":resque-retry:*").equals(countersBefore));
		assertThat(failedEntries()).noneMatch((entry) -> entry.contains(busId));
	}

	@Test
	void retriesAtOnceThenWaitsAMinuteUnderTheDefaultPolicy() {
		String busId = this.bus.publish("boom", Map.of());
		await().atMost(Duration.ofSeconds(20)).until(() -> delayedItems().stream().anyMatch((i) -> i.contains(busId)));
		assertThat(this.recorder.handlersOf(busId)).containsExactly("boom", "boom");
		String item = delayedItems().stream().filter((i) -> i.contains(busId)).findFirst().orElseThrow();
		assertThat(item).startsWith("{\"class\":\"QueueBus::Worker\",\"args\":[")
			.endsWith(",\"queue\":\"retry_app_default\"}");
		assertThat(this.redis.keys(NAMESPACE + ":resque-retry:QueueBus::Worker:*")).singleElement()
			.satisfies((key) -> assertThat(this.redis.opsForValue().get(key)).isEqualTo("1"));
		assertThat(failedEntries()).noneMatch((entry) -> entry.contains(busId));
	}

	private List<String> delayedItems() {
		BusKeys keys = new BusKeys(NAMESPACE);
		Set<String> due = this.redis.opsForZSet().range(keys.delayedSchedule(), 0, -1);
		return (due != null) ? due.stream().flatMap((ts) -> list(keys.delayed(ts)).stream()).toList() : List.of();
	}

	private List<String> failedEntries() {
		return list(new BusKeys(NAMESPACE).failed());
	}

	private List<String> list(String key) {
		List<String> entries = this.redis.opsForList().range(key, 0, -1);
		return (entries != null) ? entries : List.of();
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

		@BusSubscriber(value = "flaky", retry = @Retry(attempts = 2, delay = "1s"))
		void flaky(BusEvent event) {
			this.recorder.record("flaky", event.id());
			if (this.recorder.handlersOf(event.id()).size() == 1) {
				throw new IllegalStateException("first run fails");
			}
		}

		@BusSubscriber("boom")
		void boom(BusEvent event) {
			this.recorder.record("boom", event.id());
			throw new IllegalStateException("always fails");
		}

	}

}
