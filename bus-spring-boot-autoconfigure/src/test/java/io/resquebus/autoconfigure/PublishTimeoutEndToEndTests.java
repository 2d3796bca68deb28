package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusPublishException;
import io.resquebus.publish.BusPublishTimeoutException;
import io.resquebus.redis.BusRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code resquebus.publish.timeout} bounds a publish while the application's Redis is down, the
 * Redis client keeping Spring Boot's defaults (Lettuce's 60 s command timeout), and publishing
 * works again once Redis is back, without restarting anything.
 */
@SpringBootTest(classes = PublishTimeoutEndToEndTests.App.class)
@DirtiesContext
class PublishTimeoutEndToEndTests {

	static final EmbeddedRedisServer server = TestRedis.dedicated();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> "redis://" + server.host() + ":" + server.port());
		registry.add("resquebus.namespace", () -> "test-" + UUID.randomUUID().toString().substring(0, 8));
		registry.add("resquebus.publish.timeout", () -> "700ms");
		registry.add("resquebus.worker.enabled", () -> "false");
		registry.add("resquebus.driver.enabled", () -> "false");
	}

	@AfterAll
	static void stopRedis() {
		server.close();
	}

	@Test
	void publishFailsWithinTheConfiguredTimeoutWhileRedisIsDownAndWorksAgainOnceItIsBack(
			@Autowired BusOperations bus, @Autowired BusRedis redis) {
		assertThat(redis.commandTimeout()).isEqualTo(Duration.ofSeconds(60));
		bus.publish("warm_up", Map.of());
		server.stop();

		BusPublishTimeoutException ex = assertTimeoutPreemptively(Duration.ofSeconds(20),
				() -> catchThrowableOfType(BusPublishTimeoutException.class,
						() -> bus.publish("during_outage", Map.of())));

		assertThat(ex).isNotNull()
			.hasMessageContaining("Redis at " + server.host() + ":" + server.port())
			.hasMessageContaining("publish timeout of 700 ms");
		server.start();
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptionsInstanceOf(BusPublishException.class)
			.until(() -> bus.publish("after_outage", Map.of()) != null);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
