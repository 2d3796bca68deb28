package io.resquebus.autoconfigure;

import java.util.UUID;

import io.resquebus.annotation.BusSubscriber;
import io.resquebus.embedded.TestRedis;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscription removed from the code is gone from Redis once the new version starts, and an
 * app left without subscriptions is unsubscribed rather than left stale.
 */
class SubscriptionRemovalTests {

	private final String namespace = "test-" + UUID.randomUUID().toString().substring(0, 8);

	private final BusKeys keys = new BusKeys(this.namespace);

	@Test
	void removesASubscriptionDeletedFromTheCodeOnTheNextStart() {
		try (ConfigurableApplicationContext version1 = start(Version1.class)) {
			assertThat(redis(version1).opsForHash().keys(this.keys.app("removal_app")))
				.containsExactlyInAnyOrder("Handlers.kept", "Handlers.removed");
		}
		try (ConfigurableApplicationContext version2 = start(Version2.class)) {
			assertThat(redis(version2).opsForHash().keys(this.keys.app("removal_app")))
				.containsExactly("Handlers.kept");
		}
		try (ConfigurableApplicationContext version3 = start(NoHandlers.class)) {
			StringRedisTemplate redis = redis(version3);
			assertThat(redis.opsForSet().members(this.keys.apps())).doesNotContain("removal_app");
			assertThat(redis.hasKey(this.keys.app("removal_app"))).isFalse();
		}
	}

	private ConfigurableApplicationContext start(Class<?> configuration) {
		return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
			.properties("spring.data.redis.url=" + TestRedis.shared().url(), "resquebus.namespace=" + this.namespace,
					"resquebus.app-key=removal_app", "resquebus.driver.enabled=false")
			.run();
	}

	private static StringRedisTemplate redis(ConfigurableApplicationContext context) {
		return context.getBean(StringRedisTemplate.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Version1 {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

		static class Handlers {

			@BusSubscriber("kept_event")
			void kept() {
			}

			@BusSubscriber("removed_event")
			void removed() {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Version2 {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

		static class Handlers {

			@BusSubscriber("kept_event")
			void kept() {
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class NoHandlers {

	}

}
