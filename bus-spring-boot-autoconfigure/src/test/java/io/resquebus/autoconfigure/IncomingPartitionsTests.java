package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.BusSettings;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.autoconfigure.actuate.BusConsole;
import io.resquebus.driver.DriverRunner;
import io.resquebus.publish.BusOperations;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code resquebus.driver.partitions=3} in a Spring Boot app on a real Redis: publishes spread over
 * three incoming queues, the driver works them all with a consumer each, and health and the
 * dashboard's overview show them, and incoming queues of another count holding events as unread.
 */
@SpringBootTest(classes = IncomingPartitionsTests.App.class)
class IncomingPartitionsTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("partitions");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "partitions_app");
		registry.add("resquebus.driver.partitions", () -> "3");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Handlers handlers;

	@Autowired
	BusSettings settings;

	@Autowired
	DriverRunner driver;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void deliversEveryEventOnceThroughThreeIncomingQueues() {
		List<String> incoming = this.settings.keys().incomingQueues();
		assertThat(incoming).isEqualTo(new BusKeys(NAMESPACE, 3).incomingQueues());
		Set<String> published = new HashSet<>();
		for (int i = 0; i < 30; i++) {
			published.add(this.bus.publish("user_created", Map.of("n", i)));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handlers.received.size() >= published.size());
		assertThat(this.handlers.received).containsExactlyInAnyOrderElementsOf(published);
		assertThat(this.redis.opsForSet().members(this.settings.keys().queues())).containsAll(incoming);
		assertThat(this.driver.consumerIds()).hasSize(3);
	}

	@Test
	@SuppressWarnings("unchecked")
	void showsThePartitionsAndListsIncomingQueuesOfAnotherCountAsUnread(@Autowired BusConsole console,
			@Autowired Map<String, HealthIndicator> indicators) {
		Map<String, Object> health = indicators.get("resquebusHealthIndicator").health().getDetails();
		assertThat((Map<String, Object>) health.get("queues")).containsKeys(
				this.settings.keys().incomingQueues().toArray(String[]::new));
		// A publisher configured with 2 partitions: its second queue is none of these three.
		String stray = new BusKeys(NAMESPACE, 2).incomingQueues().get(1);
		this.redis.opsForSet().add(this.settings.keys().queues(), stray);
		this.redis.opsForList().rightPush(this.settings.keys().queue(stray), "{}");
		try {
			assertThat(console.overview().get("unreadIncomingQueues")).isEqualTo(List.of(stray));
		}
		finally {
			this.redis.delete(this.settings.keys().queue(stray));
		}
	}

	@Test
	void refusesAPartitionCountOutOfRange() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResqueBusAutoConfiguration.class))
			.withPropertyValues("resquebus.driver.partitions=0", "resquebus.local-mode=inline")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("resquebus.driver.partitions must be 1 to 64");
			});
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

		final List<String> received = new CopyOnWriteArrayList<>();

		@BusSubscriber("user_created")
		void created(BusEvent event) {
			this.received.add(event.id());
		}

	}

}
