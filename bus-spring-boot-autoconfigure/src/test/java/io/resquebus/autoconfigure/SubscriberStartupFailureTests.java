package io.resquebus.autoconfigure;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.resquebus.annotation.Attribute;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.dispatch.BusDispatchConfigurer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.subscription.MissingAppKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subscriptions the bus cannot serve fail the application start with a message naming the method
 * or the configurer bean.
 */
class SubscriberStartupFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-" + UUID.randomUUID().toString().substring(0, 8), "resquebus.app-key=app_a");

	@ParameterizedTest
	@ValueSource(classes = { TwoParameters.class, Primitive.class, Text.class, Numbers.class, Collection.class,
			IntegerKeys.class, StringValues.class, AnyObject.class, JdkType.class })
	void failsNamingTheMethodWhenTheBusCannotServeItsSignature(Class<?> subscriber) {
		this.contextRunner.withBean(subscriber).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(IllegalStateException.class)
				.hasMessageStartingWith("Subscriber method ")
				.hasMessageContaining(subscriber.getSimpleName() + ".on(");
		});
	}

	@Test
	void startsWithEverySignatureTheBusCanServe() {
		this.contextRunner.withBean(GoodSignatures.class).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failsNamingTheMethodWhenAnAttributeMatcherIsInvalid() {
		this.contextRunner.withBean(BadAttribute.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure()))
				.hasMessageContaining("BadAttribute.on()")
				.hasMessageContaining("is not a special value: 'bus_special_value_presnt'");
		});
	}

	@Test
	void failsNamingTheConfigurerBeanWhenADispatchSubscriptionIsInvalid() {
		this.contextRunner
			.withBean("badDispatch", BusDispatchConfigurer.class,
					() -> (dispatch) -> dispatch.subscribe("my_key", Map.of("a", "(unclosed"), (event) -> {
					}))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure()))
					.hasMessageStartingWith("BusDispatchConfigurer 'badDispatch' [my_key]: Matcher value for 'a'");
			});
	}

	@Test
	void failsNamingTheConfigurerBeanWhenATypedHandlerCannotBeServed() {
		this.contextRunner
			.withBean("badDispatch", BusDispatchConfigurer.class,
					() -> (dispatch) -> dispatch.subscribe("user_created", String.class, (name) -> {
					}))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).hasMessageStartingWith(
						"BusDispatchConfigurer 'badDispatch' [user_created]: the handler cannot take java.lang.String");
			});
	}

	@Test
	void namesDispatchSubscriptionsWhenTheAppKeyIsMissing() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url())
			.withBean("userDispatch", BusDispatchConfigurer.class,
					() -> (dispatch) -> dispatch.subscribe("user_created", (event) -> {
					}))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure())).isInstanceOf(MissingAppKeyException.class);
				assertThat(((MissingAppKeyException) rootCause(context.getStartupFailure())).sources())
					.containsExactly("BusDispatchConfigurer 'userDispatch' [user_created]");
			});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	record UserCreated(Long id, String name) {
	}

	static class TwoParameters {

		@BusSubscriber("user_created")
		void on(UserCreated event, Map<String, Object> attributes) {
		}

	}

	static class Primitive {

		@BusSubscriber("user_created")
		void on(long id) {
		}

	}

	static class Text {

		@BusSubscriber("user_created")
		void on(String name) {
		}

	}

	static class Numbers {

		@BusSubscriber("user_created")
		void on(Integer id) {
		}

	}

	static class Collection {

		@BusSubscriber("user_created")
		void on(List<UserCreated> events) {
		}

	}

	static class IntegerKeys {

		@BusSubscriber("user_created")
		void on(Map<Integer, Object> attributes) {
		}

	}

	static class StringValues {

		@BusSubscriber("user_created")
		void on(Map<String, String> attributes) {
		}

	}

	static class AnyObject {

		@BusSubscriber("user_created")
		void on(Object event) {
		}

	}

	static class JdkType {

		@BusSubscriber("user_created")
		void on(LocalDate date) {
		}

	}

	static class GoodSignatures {

		@BusSubscriber("user_created")
		void none() {
		}

		@BusSubscriber("user_created")
		void attributes(Map<String, Object> attributes) {
		}

		@BusSubscriber("user_created")
		void wildcard(Map<String, ?> attributes) {
		}

		@BusSubscriber("user_created")
		void event(io.resquebus.BusEvent event) {
		}

		@BusSubscriber("user_created")
		void record(UserCreated event) {
		}

	}

	static class BadAttribute {

		@BusSubscriber(value = "user_created", attributes = @Attribute(name = "email", value = "bus_special_value_presnt"))
		void on() {
		}

	}

}
