package io.resquebus.autoconfigure;

import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.BusRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which connection factory the bus takes when the application has several: its own from
 * {@code resquebus.redis.*} first, else the application's only or {@code @Primary} one, else the
 * one named {@code redisConnectionFactory} (Spring Boot's name); only when none of these can be
 * chosen does the start fail, with a message that says how to choose. A {@code resquebus.redis}
 * property the bus does not read fails the start rather than being ignored.
 */
class BusRedisChoiceTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class))
		.withPropertyValues("resquebus.app-key=choice_app", "resquebus.register-subscriptions=false");

	@Test
	void startsWithTwoApplicationFactoriesAndNoPrimaryWhenTheBusHasItsOwnRedis() {
		this.contextRunner.withUserConfiguration(TwoFactories.class)
			.withPropertyValues("resquebus.redis.host=127.0.0.1", "resquebus.redis.port=" + 16999)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(RedisConnectionFactory.class)).containsKeys("first", "second",
						ResqueBusAutoConfiguration.BUS_REDIS_CONNECTION_FACTORY);
				LettuceConnectionFactory busFactory = (LettuceConnectionFactory) context.getBean(BusRedis.class)
					.connectionFactory();
				assertThat(busFactory.getPort()).isEqualTo(16999);
			});
	}

	@Test
	void usesTheApplicationsFactoryWhenTheBusHasNoRedisOfItsOwn() {
		this.contextRunner.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url()).run((context) -> {
			assertThat(context).doesNotHaveBean(ResqueBusAutoConfiguration.BUS_REDIS_CONNECTION_FACTORY);
			assertThat(context.getBean(BusRedis.class).connectionFactory())
				.isSameAs(context.getBean(RedisConnectionFactory.class));
		});
	}

	@Test
	void takesTheFactoryNamedAsSpringBootsAmongSeveralWithoutPrimary() {
		this.contextRunner.withUserConfiguration(TwoFactoriesOneNamedAsBoots.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(BusRedis.class).connectionFactory())
				.isSameAs(context.getBean("redisConnectionFactory"));
		});
	}

	@Test
	void failsTheStartOnAResquebusRedisPropertyTheBusDoesNotRead() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
					"resquebus.redis.lettuce.pool.max-active=16")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("resquebus.redis.lettuce.pool.max-active is set, but the bus's own Redis does"
						+ " not use it"));
		this.contextRunner
			.withPropertyValues("resquebus.redis.url=" + TestRedis.shared().url(), "resquebus.redis.ssl.bundle=mine")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("resquebus.redis.ssl.bundle is set"));
	}

	@Test
	void failsClearlyWhenItCannotChooseAmongTheApplicationsFactories() {
		this.contextRunner.withUserConfiguration(TwoFactories.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("cannot choose among the RedisConnectionFactory beans")
				.hasMessageContaining("resquebus.redis.url")
				.hasMessageContaining("'redisConnectionFactory'"));
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoFactories {

		@Bean
		LettuceConnectionFactory first() {
			return new LettuceConnectionFactory("127.0.0.1", 16998);
		}

		@Bean
		LettuceConnectionFactory second() {
			return new LettuceConnectionFactory("127.0.0.1", 16997);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoFactoriesOneNamedAsBoots {

		@Bean
		LettuceConnectionFactory cacheRedis() {
			return new LettuceConnectionFactory("127.0.0.1", 16998);
		}

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			return new LettuceConnectionFactory("127.0.0.1", 16997);
		}

	}

}
