package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.driver.DriverRunner;
import io.resquebus.driver.StandaloneTransport;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.EventTransport;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code resquebus.local-mode: standalone} in a Spring Boot app on a real Redis: no driver, the
 * publisher pushes straight onto the subscribers' queues and the worker handles the jobs.
 */
@SpringBootTest(classes = StandaloneModeTests.App.class)
class StandaloneModeTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("standalone");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "standalone_app");
		registry.add("resquebus.local-mode", () -> "standalone");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Handlers handlers;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void deliversThroughTheSubscribersQueuesWithoutADriver(@Autowired ApplicationContext context) {
		assertThat(context.getBeansOfType(DriverRunner.class)).isEmpty();
		assertThat(context.getBean(EventTransport.class)).isInstanceOf(StandaloneTransport.class);

		String busId = this.bus.publish("user_created", Map.of("id", 42));

		await().atMost(Duration.ofSeconds(20)).until(() -> this.handlers.received.contains(busId));
		BusKeys keys = new BusKeys(NAMESPACE);
		assertThat(this.redis.opsForSet().members(keys.queues())).contains("standalone_app_default")
			.doesNotContain(BusKeys.INCOMING_QUEUE);
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
