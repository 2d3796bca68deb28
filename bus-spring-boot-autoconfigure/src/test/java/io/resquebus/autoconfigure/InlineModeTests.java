package io.resquebus.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.autoconfigure.embedded.EmbeddedRedisAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusSchedulerAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.driver.DriverRunner;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.EventTransport;
import io.resquebus.publish.InlineTransport;
import io.resquebus.redis.BusRedis;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.subscription.SubscriptionLifecycle;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code resquebus.local-mode: inline}: the application starts with no Redis at all (no embedded
 * one started, no connection factory needed, none used if configured) and publishing runs this
 * app's handlers in the publishing thread.
 */
class InlineModeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EmbeddedRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
				ResqueBusAutoConfiguration.class, BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class,
				BusSchedulerAutoConfiguration.class))
		.withUserConfiguration(HandlersConfiguration.class)
		.withPropertyValues("resquebus.local-mode=inline", "resquebus.app-key=inline_app");

	@Test
	void startsWithNoRedisConfiguredAndStartsNoEmbeddedRedis() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(EmbeddedRedisServer.class)
				.doesNotHaveBean(BusRedis.class)
				.doesNotHaveBean(SubscriptionRegistry.class)
				.doesNotHaveBean(SubscriptionLifecycle.class)
				.doesNotHaveBean(DriverRunner.class)
				.doesNotHaveBean(WorkerRunner.class)
				.doesNotHaveBean(SchedulerRunner.class)
				.hasSingleBean(BusTemplate.class);
			assertThat(context.getBean(EventTransport.class)).isInstanceOf(InlineTransport.class);
			assertRunsHandlersInThePublishingThread(context);
		});
	}

	@Test
	void needsNoRedisConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EmbeddedRedisAutoConfiguration.class,
					ResqueBusAutoConfiguration.class, BusDriverAutoConfiguration.class,
					BusWorkerAutoConfiguration.class, BusSchedulerAutoConfiguration.class))
			.withUserConfiguration(HandlersConfiguration.class)
			.withPropertyValues("resquebus.local-mode=inline", "resquebus.app-key=inline_app")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(RedisConnectionFactory.class)
					.doesNotHaveBean(EmbeddedRedisServer.class);
				assertRunsHandlersInThePublishingThread(context);
			});
	}

	@Test
	void propagatesAHandlersExceptionToThePublisher() {
		this.contextRunner.run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(BusOperations.class).publish("order_rejected", Map.of("id", 9)))
			.withMessage("order 9 rejected"));
	}

	@Test
	void neverConnectsToARedisEvenWhenOneIsConfigured() throws IOException {
		try (ServerSocket fakeRedis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			new ApplicationContextRunner().withUserConfiguration(FullApplication.class)
				.withPropertyValues("resquebus.local-mode=inline", "resquebus.app-key=inline_app",
						"spring.data.redis.url=redis://127.0.0.1:" + fakeRedis.getLocalPort())
				.run((context) -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(BusRedis.class);
					assertRunsHandlersInThePublishingThread(context);
				});
			fakeRedis.setSoTimeout(500);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> {
				try (Socket connection = fakeRedis.accept()) {
					assertThat(connection).as("a connection to the configured Redis").isNull();
				}
			});
		}
	}

	private static void assertRunsHandlersInThePublishingThread(AssertableApplicationContext context) {
		Handlers handlers = context.getBean(Handlers.class);
		String busId = context.getBean(BusOperations.class).publish("user_created", Map.of("id", 42));
		handlers.log.add("published");
		assertThat(handlers.log).containsExactly("created " + busId + " on " + Thread.currentThread().getName(),
				"published");
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class FullApplication {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		final List<String> log = new CopyOnWriteArrayList<>();

		@BusSubscriber("user_created")
		void created(BusEvent event) {
			this.log.add("created " + event.id() + " on " + Thread.currentThread().getName());
		}

		@BusSubscriber("order_rejected")
		void rejected(Map<String, Object> attributes) {
			throw new IllegalStateException("order " + attributes.get("id") + " rejected");
		}

	}

}
