package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import io.resquebus.embedded.TestRedis;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber on a {@code @Lazy} bean is in the registry once the application has started,
 * before anything created the bean, and the first event it matches creates the bean and reaches it.
 */
@SpringBootTest(classes = LazySubscriberTests.App.class)
class LazySubscriberTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("lazy");

	static final AtomicInteger created = new AtomicInteger();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "lazy_app");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Recorder recorder;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void registersALazyBeansSubscriberAtStartupAndCreatesTheBeanOnItsFirstEvent() {
		assertThat(this.redis.opsForHash().keys(new BusKeys(NAMESPACE).app("lazy_app")))
			.containsExactlyInAnyOrder("LazyHandlers.onUserCreated", "EagerHandlers.onUserCreated");
		assertThat(created).as("bean created before any event").hasValue(0);
		String busId = this.bus.publish("user_created", Map.of("id", 1));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.recorder.handlersOf(busId).containsAll(List.of("lazy", "eager")));
		assertThat(created).hasValue(1);
		String second = this.bus.publish("user_created", Map.of("id", 2));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.recorder.handlersOf(second).contains("lazy"));
		assertThat(this.recorder.entries()).filteredOn((entry) -> entry.startsWith("lazy:")).hasSize(2);
		assertThat(created).as("one bean for every event").hasValue(1);
	}

	@Test
	void registersAndDeliversToSubscribersWhenEveryBeanIsLazy() {
		String namespace = BusOnTestRedis.namespace("all-lazy");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EagerOnly.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.lazy-initialization=true", "spring.data.redis.url=" + TestRedis.shared().url(),
					"resquebus.namespace=" + namespace, "resquebus.app-key=all_lazy_app",
					"resquebus.worker.block-timeout=100ms", "resquebus.driver.block-timeout=100ms",
					"resquebus.scheduler.heartbeat=false")
			.run()) {
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			assertThat(redis.opsForHash().keys(new BusKeys(namespace).app("all_lazy_app")))
				.containsExactly("EagerHandlers.onUserCreated");
			String busId = context.getBean(BusOperations.class).publish("user_created", Map.of());
			Recorder recorder = context.getBean(Recorder.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> recorder.handlersOf(busId).contains("eager"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class EagerOnly {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		EagerHandlers eagerHandlers(Recorder recorder) {
			return new EagerHandlers(recorder);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(LazyHandlers.class)
	static class App {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		EagerHandlers eagerHandlers(Recorder recorder) {
			return new EagerHandlers(recorder);
		}

	}

	@Component
	@Lazy
	static class LazyHandlers {

		private final Recorder recorder;

		LazyHandlers(Recorder recorder) {
			created.incrementAndGet();
			this.recorder = recorder;
		}

		@BusSubscriber("user_created")
		void onUserCreated(BusEvent event) {
			this.recorder.record("lazy", event.id());
		}

	}

	static class EagerHandlers {

		private final Recorder recorder;

		EagerHandlers(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber("user_created")
		void onUserCreated(BusEvent event) {
			this.recorder.record("eager", event.id());
		}

	}

}
