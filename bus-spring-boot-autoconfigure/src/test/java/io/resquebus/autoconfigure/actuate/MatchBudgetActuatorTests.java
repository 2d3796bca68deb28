package io.resquebus.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusListener;
import io.resquebus.autoconfigure.metrics.BusListenerAutoConfiguration;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusTemplate;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9 item 4 in an app: {@code resquebus.matching.step-budget} bounds the driver's regex
 * matches, and a subscription that went over it shows in health, in the endpoint and to listeners.
 */
class MatchBudgetActuatorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(BusHealthContributorAutoConfigurationTests.BUS)
		.withConfiguration(AutoConfigurations.of(BusHealthContributorAutoConfiguration.class,
				BusEndpointAutoConfiguration.class, BusListenerAutoConfiguration.class))
		.withUserConfiguration(BusHealthContributorAutoConfigurationTests.Subscriber.class, Listening.class)
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-budget-" + UUID.randomUUID().toString().substring(0, 8),
				"resquebus.app-key=app_h", "resquebus.driver.block-timeout=100ms",
				"resquebus.worker.block-timeout=100ms", "management.endpoints.web.exposure.include=resquebus",
				"resquebus.matching.step-budget=20000");

	@Test
	@SuppressWarnings("unchecked")
	void flagsTheOverBudgetSubscriptionInHealthEndpointAndListenersAndStaysUp() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(MatchBudget.class).steps()).isEqualTo(20_000);
			context.getBean(SubscriptionRegistry.class)
				.subscribe("evil", List.of(new SubscriptionEntry("evil_default", "bomb", JobClasses.RIDER,
						Map.of("name", "(?-mix:^(a+)+\\1$)"))));
			context.getBean(BusTemplate.class).publish("thing_happened", Map.of("name", "a".repeat(40) + "!"));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> context.getBean(MatchBudget.class).exceeded().containsKey("evil/bomb"));

			Health health = context.getBean("resquebusHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("matchBudgetExceeded", Map.of("evil/bomb", 1L));
			Map<?, ?> subscriptions = (Map<?, ?>) context.getBean(BusEndpoint.class)
				.section("subscriptions", 0, 10, null)
				.getBody();
			assertThat((List<?>) subscriptions.get("items")).anySatisfy((item) -> assertThat((Map<String, Object>) item)
				.containsEntry("key", "bomb")
				.containsEntry("matchBudgetExceeded", 1L));
			assertThat((List<?>) subscriptions.get("items")).anySatisfy((item) -> assertThat((Map<String, Object>) item)
				.containsEntry("key", "Handlers.onThing")
				.doesNotContainKey("matchBudgetExceeded"));
			assertThat(context.getBean(Recording.class).heard).containsExactly("evil/bomb");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Listening {

		@Bean
		Recording recordingListener() {
			return new Recording();
		}

	}

	static class Recording implements BusListener {

		final List<String> heard = new CopyOnWriteArrayList<>();

		@Override
		public void matchBudgetExceeded(String appKey, String subKey) {
			this.heard.add(appKey + "/" + subKey);
		}

	}

}
