package io.resquebus.test.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AutoConfigureTestRedis}: the app runs on the shared test Redis, end to end, in a namespace
 * of its own, even with another Redis configured and the embedded Redis on the classpath.
 */
@SpringBootTest(classes = AutoConfigureRecordingBusTests.App.class,
		properties = { "resquebus.app-key=redis_app", "resquebus.namespace=resque",
				"spring.data.redis.url=redis://127.0.0.1:1", "resquebus.worker.block-timeout=100ms",
				"resquebus.driver.block-timeout=100ms" })
@AutoConfigureTestRedis
class AutoConfigureTestRedisTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	BusOperations bus;

	@Autowired
	Handled handled;

	@Test
	void connectsToTheSharedTestRedisInsteadOfTheConfiguredOne() {
		DataRedisConnectionDetails details = this.context.getBean(DataRedisConnectionDetails.class);
		assertThat(details.getStandalone().getPort()).isEqualTo(TestRedis.shared().port());
		assertThat(this.context.getBeansOfType(EmbeddedRedisServer.class)).isEmpty();
		try (RedisConnection connection = this.context.getBean(RedisConnectionFactory.class).getConnection()) {
			assertThat(connection.ping()).isEqualTo("PONG");
		}
	}

	@Test
	void givesTheContextANamespaceOfItsOwn() {
		assertThat(this.context.getBean(BusSettings.class).keys().prefix()).matches("test-[0-9a-f]{8}:");
	}

	@Test
	void deliversPublishedEventsThroughRedisToTheAppsHandlers() {
		assertThat(this.bus).isInstanceOf(BusTemplate.class);
		String busId = this.bus.publish("user_created", Map.of("id", 42));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.handled.entries()).contains("userCreated:" + busId));
	}

}
