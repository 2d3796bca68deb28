package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.BusSettings;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
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
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * {@code @BusSubscriber(sync = true)} in a Spring Boot app on a real Redis: the subscriber runs in
 * the publisher's thread before publish returns, its exception reaches the publisher, the event's
 * other subscribers get it through the queues, and the sync one never gets it a second time.
 */
@SpringBootTest(classes = SyncSubscriberTests.App.class)
class SyncSubscriberTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("sync");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "sync_app");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Handlers handlers;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void runsTheSyncSubscriberBeforePublishReturnsAndEveryOtherOneOnceThroughTheQueue() {
		this.handlers.log.add("publishing");
		String busId = this.bus.publish("order_placed", Map.of("id", 1));
		this.handlers.log.add("published");

		await().atMost(Duration.ofSeconds(20)).until(() -> this.handlers.log.contains("notify " + busId + " worker"));
		await().atMost(Duration.ofSeconds(20)).until(() -> BusOnTestRedis.allQueuesDrained(this.redis, NAMESPACE));
		assertThat(this.handlers.log).containsSubsequence("publishing", "reserve " + busId + " publisher",
				"published");
		assertThat(this.handlers.log).filteredOn((entry) -> entry.contains(busId))
			.containsExactlyInAnyOrder("reserve " + busId + " publisher", "notify " + busId + " worker");
	}

	@Test
	void propagatesTheSyncSubscribersExceptionToThePublisher() {
		assertThatIllegalStateException().isThrownBy(() -> this.bus.publish("order_rejected", Map.of("id", 2)))
			.withMessage("cannot reserve order 2");
	}

	@Test
	void deliversAnotherAppsEventToTheSyncSubscriberThroughItsQueue(@Autowired BusRedis redis,
			@Autowired BusSettings settings) {
		String busId = new BusTemplate(redis, settings).publish("order_placed", Map.of("id", 3));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.handlers.log).contains("reserve " + busId + " worker",
					"notify " + busId + " worker"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		final List<String> log = new CopyOnWriteArrayList<>();

		@BusSubscriber(value = "order_placed", sync = true)
		void reserve(BusEvent event) {
			this.log.add("reserve " + event.id() + " " + where());
		}

		@BusSubscriber("order_placed")
		void notify(BusEvent event) {
			this.log.add("notify " + event.id() + " " + where());
		}

		@BusSubscriber(value = "order_rejected", sync = true)
		void refuse(Map<String, Object> attributes) {
			throw new IllegalStateException("cannot reserve order " + attributes.get("id"));
		}

		private static String where() {
			return Thread.currentThread().getName().startsWith("resquebus-worker") ? "worker" : "publisher";
		}

	}

}
