package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.annotation.Critical;
import io.resquebus.annotation.Retry;
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
 * A Spring Boot app on the bus, end to end over a real Redis: publish, drive, work, handle.
 */
@SpringBootTest(classes = BusEndToEndTests.App.class)
class BusEndToEndTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("e2e");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "e2e_app");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Recorder recorder;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void deliversAnEventToItsStringSubscriber() {
		String busId = this.bus.publish("user_created", Map.of("id", 42, "name", "John"));
		awaitHandled(busId, "attributes", "anyUserEvent");
		assertThat(this.recorder.entries()).contains("attributes.id=42:" + busId);
	}

	@Test
	void deliversEveryMatchingEventToARegexSubscriberAndNoOther() {
		String userEvent = this.bus.publish("user_renamed", Map.of());
		String otherEvent = this.bus.publish("order_placed", Map.of());
		awaitHandled(userEvent, "anyUserEvent");
		awaitHandled(otherEvent, "orders");
		assertThat(this.recorder.handlersOf(otherEvent)).doesNotContain("anyUserEvent");
	}

	@Test
	void deliversCriticalEventsThroughTheCriticalQueue() {
		String busId = this.bus.publish("user_paid", Map.of("amount", 10.5));
		awaitHandled(busId, "critical", "anyUserEvent");
		assertThat(this.redis.opsForSet().members(keys().queues())).contains("e2e_app_critical", "e2e_app_default");
	}

	@Test
	void deliversThroughACustomQueueToANoArgumentHandler() {
		this.bus.publish("peeled", Map.of());
		awaitHandled("no-arg", "peeled");
		assertThat(this.redis.opsForSet().members(keys().queues())).contains("e2e_app_bannana");
	}

	@Test
	void runsEveryMatchingSubscriptionOfTheApp() {
		String busId = this.bus.publish("user_created", Map.of("id", 7));
		awaitHandled(busId, "attributes", "anyUserEvent");
		assertThat(this.recorder.handlersOf(busId)).containsExactlyInAnyOrder("attributes", "attributes.id=7",
				"anyUserEvent");
	}

	@Test
	void letsTheLastSubscriptionWithTheSameKeyWin() {
		String busId = this.bus.publish("shared_event", Map.of());
		awaitHandled(busId, "secondShared");
		assertThat(this.recorder.handlersOf(busId)).containsExactly("secondShared");
		assertThat(this.redis.opsForHash().keys(keys().app("e2e_app"))).contains("shared");
	}

	@Test
	void sendsAThrowingHandlersJobToTheFailedListAndHandlesTheNextEvent() {
		String failing = this.bus.publish("boom", Map.of());
		String next = this.bus.publish("user_created", Map.of("id", 8));
		awaitHandled(next, "attributes");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> failedEntries().stream().anyMatch((entry) -> entry.contains(failing)));
		String entry = failedEntries().stream().filter((e) -> e.contains(failing)).findFirst().orElseThrow();
		assertThat(entry).startsWith("{\"failed_at\":\"")
			.contains("\"exception\":\"java.lang.IllegalStateException\",\"error\":\"boom handler failed\"")
			.contains("\"queue\":\"e2e_app_default\"");
	}

	@Test
	void registersTheAppsSubscriptionsInRedis() {
		assertThat(this.redis.opsForSet().members(keys().apps())).contains("e2e_app");
		assertThat(this.redis.opsForHash().keys(keys().app("e2e_app"))).containsExactlyInAnyOrder(
				"Handlers.attributes", "Handlers.anyUserEvent", "Handlers.critical", "Handlers.peeled",
				"Handlers.orders", "Handlers.boom", "shared");
	}

	private List<String> failedEntries() {
		List<String> entries = this.redis.opsForList().range(keys().failed(), 0, -1);
		return (entries != null) ? entries : List.of();
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

		@Bean
		FirstShared firstShared(Recorder recorder) {
			return new FirstShared(recorder);
		}

		@Bean
		SecondShared secondShared(Recorder recorder) {
			return new SecondShared(recorder);
		}

	}

	static class Handlers {

		private final Recorder recorder;

		Handlers(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber("user_created")
		void attributes(Map<String, Object> attributes) {
			String busId = (String) attributes.get("bus_id");
			this.recorder.record("attributes", busId);
			this.recorder.record("attributes.id=" + attributes.get("id"), busId);
		}

		@BusSubscriber(pattern = "^user_")
		void anyUserEvent(BusEvent event) {
			this.recorder.record("anyUserEvent", event.id());
		}

		@Critical("user_paid")
		void critical(BusEvent event) {
			this.recorder.record("critical", event.id());
		}

		@BusSubscriber(value = "peeled", queue = "bannana")
		void peeled() {
			this.recorder.record("peeled", "no-arg");
		}

		@BusSubscriber("order_placed")
		void orders(BusEvent event) {
			this.recorder.record("orders", event.id());
		}

		@BusSubscriber(value = "boom", retry = @Retry(attempts = 1))
		void boom() {
			throw new IllegalStateException("boom handler failed");
		}

	}

	static class FirstShared {

		private final Recorder recorder;

		FirstShared(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber(value = "shared_event", key = "shared")
		void firstShared(BusEvent event) {
			this.recorder.record("firstShared", event.id());
		}

	}

	static class SecondShared {

		private final Recorder recorder;

		SecondShared(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber(value = "shared_event", key = "shared")
		void secondShared(BusEvent event) {
			this.recorder.record("secondShared", event.id());
		}

	}

}
