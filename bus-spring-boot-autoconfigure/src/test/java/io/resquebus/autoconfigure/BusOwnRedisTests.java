package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.redis.BusRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code resquebus.redis.url} next to {@code spring.data.redis.url}, on two real Redis servers:
 * publishing, the registry, the driver and the worker all use the bus's Redis; the application's
 * connection factory, the one injected by type, stays on the application's Redis, which the bus
 * never writes to.
 */
@SpringBootTest(classes = BusOwnRedisTests.App.class)
class BusOwnRedisTests {

	static final EmbeddedRedisServer APP_REDIS = TestRedis.dedicated();

	static final EmbeddedRedisServer BUS_REDIS = TestRedis.dedicated();

	static final String NAMESPACE = BusOnTestRedis.namespace("own");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "own_app");
		registry.add("spring.data.redis.url", APP_REDIS::url);
		registry.add("resquebus.redis.url", BUS_REDIS::url);
	}

	@AfterAll
	static void stopRedis() {
		APP_REDIS.stop();
		BUS_REDIS.stop();
	}

	@Test
	void runsTheWholeBusOnItsOwnRedisAndLeavesTheApplicationsAlone(@Autowired BusOperations bus,
			@Autowired Handlers handlers, @Autowired RedisConnectionFactory applicationFactory,
			@Autowired StringRedisTemplate applicationRedis, @Autowired BusRedis busRedis) {
		String busId = bus.publish("invoice_sent", Map.of("id", 1));

		await().atMost(Duration.ofSeconds(20)).until(() -> handlers.received.contains(busId));
		assertThat(((LettuceConnectionFactory) applicationFactory).getPort()).isEqualTo(APP_REDIS.port());
		assertThat(((LettuceConnectionFactory) busRedis.connectionFactory()).getPort()).isEqualTo(BUS_REDIS.port());
		applicationRedis.opsForValue().set("app-key", "app-value");
		assertThat(applicationRedis.keys("*")).containsExactly("app-key");
		StringRedisTemplate onBusRedis = new StringRedisTemplate(busRedis.connectionFactory());
		assertThat(onBusRedis.keys(NAMESPACE + ":*")).isNotEmpty().doesNotContain("app-key");
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

		@BusSubscriber("invoice_sent")
		void sent(BusEvent event) {
			this.received.add(event.id());
		}

	}

}
