package io.resquebus.autoconfigure.job;

import java.util.UUID;

import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.embedded.TestRedis;
import io.resquebus.job.ResqueJob;
import io.resquebus.wire.PlainJob;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @ResqueJob} method the bus cannot serve fails the application start, naming the method
 * (each failing handler below is named {@code on}, besides {@code again} for the duplicate).
 */
class ResqueJobStartupFailureTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class,
				ResqueJobAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-" + UUID.randomUUID().toString().substring(0, 8));

	@ParameterizedTest
	@ValueSource(classes = { InterfaceParameter.class, JdkParameter.class, CatchAllWithoutPlainJob.class,
			PlainJobAmongOthers.class, BadQueue.class, TwoHandlersOfOneClass.class })
	void failsNamingTheMethodWhenTheBusCannotServeIt(Class<?> handlers) {
		this.contextRunner.withBean(handlers).run((context) -> {
			assertThat(context).hasFailed();
			Throwable cause = context.getStartupFailure();
			while (cause.getCause() != null) {
				cause = cause.getCause();
			}
			assertThat(cause).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(handlers.getSimpleName() + ".on");
		});
	}

	@ParameterizedTest
	@ValueSource(classes = { GoodSignatures.class })
	void startsWithEverySignatureTheBusCanServe(Class<?> handlers) {
		this.contextRunner.withBean(handlers).run((context) -> assertThat(context).hasNotFailed());
	}

	static class InterfaceParameter {

		@ResqueJob("X")
		void on(Runnable task) {
		}

	}

	static class JdkParameter {

		@ResqueJob("X")
		void on(java.time.Instant at) {
		}

	}

	static class CatchAllWithoutPlainJob {

		@ResqueJob(queue = "q")
		void on(String arg) {
		}

	}

	static class PlainJobAmongOthers {

		@ResqueJob("X")
		void on(PlainJob job, String more) {
		}

	}

	static class BadQueue {

		@ResqueJob(value = "X", queue = "a,b")
		void on() {
		}

	}

	static class TwoHandlersOfOneClass {

		@ResqueJob("X")
		void on() {
		}

		@ResqueJob("X")
		void again() {
		}

	}

	record Point(int x, int y) {
	}

	static class GoodSignatures {

		@ResqueJob("A")
		void none() {
		}

		@ResqueJob("B")
		void values(String s, long l, int i, double d, boolean b, Integer boxed, Object any, java.math.BigInteger big) {
		}

		@ResqueJob("C")
		void structures(java.util.List<String> list, java.util.Map<String, Object> map, Point point) {
		}

		@ResqueJob("D")
		void raw(PlainJob job) {
		}

	}

}
