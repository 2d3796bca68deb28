package io.resquebus.annotation;

import java.time.Duration;
import java.util.Map;

import io.resquebus.BusEvent;
import io.resquebus.hook.BusErrorHandler;
import io.resquebus.hook.InterceptedHandler;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code ${...}} placeholders and {@code #{...}} SpEL in {@link BusSubscriber} and {@link Critical}
 * attributes, resolved as {@code @KafkaListener}'s are; and {@code @Critical} with the attributes of
 * {@code @BusSubscriber} that apply to it.
 */
class SubscriberPlaceholderTests {

	@Test
	void resolvesPlaceholdersAndExpressionsInEveryNamingAttribute() {
		try (AnnotationConfigApplicationContext context = context()) {
			AppSubscriptions subscriptions = context.getBean(AppSubscriptions.class);

			LocalSubscription placed = subscriptions.find("orders.placed").orElseThrow();
			assertThat(placed.queue()).isEqualTo("billing");
			assertThat(placed.matcher()).containsExactly(entry("bus_event_type", "order_placed"),
					entry("region", "eu"), entry("tier", "3"));
			assertThat(((InterceptedHandler) placed.handler()).errorHandlerName()).isEqualTo("billingErrors");

			LocalSubscription paid = subscriptions.find("Handlers.paid").orElseThrow();
			assertThat(paid.matcher()).containsExactly(entry("bus_event_type", "user_paid"));
		}
	}

	@Test
	void givesCriticalTheSyncAndErrorHandlerAttributesOfBusSubscriber() {
		try (AnnotationConfigApplicationContext context = context()) {
			LocalSubscription refund = context.getBean(AppSubscriptions.class).find("Handlers.refund").orElseThrow();

			assertThat(refund.queue()).isEqualTo("critical");
			assertThat(refund.sync()).isTrue();
			assertThat(refund.matcher()).containsExactly(entry("bus_event_type", "refund_due"));
			assertThat(((InterceptedHandler) refund.handler()).errorHandlerName()).isEqualTo("billingErrors");
		}
	}

	@Test
	void resolvesPlaceholdersAndExpressionsInRetryAttributes() {
		try (AnnotationConfigApplicationContext context = context()) {
			RetryPolicy policy = context.getBean(AppSubscriptions.class)
				.find("orders.placed")
				.orElseThrow()
				.retry();

			assertThat(policy).isNotNull();
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).isEqualTo(Duration.ofSeconds(10));
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 1)).isEqualTo(Duration.ofSeconds(30));
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 2)).isEqualTo(Duration.ofSeconds(45));
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 3)).as("4 runs: 3 retries").isNull();
		}
	}

	private static AnnotationConfigApplicationContext context() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("orders.event", "order_placed", "orders.queue", "billing",
					"orders.key", "orders.placed", "orders.region", "eu", "billing.errors", "billingErrors",
					"refund.event", "refund_due", "orders.retry.attempts", "4", "orders.retry.delay", "10s",
					"orders.retry.max-delay", "45s")));
		context.register(Config.class);
		context.refresh();
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		static BusSubscriberAnnotationBeanPostProcessor busSubscriberAnnotationBeanPostProcessor() {
			return new BusSubscriberAnnotationBeanPostProcessor();
		}

		@Bean
		AppSubscriptions appSubscriptions() {
			return new AppSubscriptions("placeholder_app");
		}

		@Bean
		Tiers tiers() {
			return new Tiers();
		}

		@Bean
		BusErrorHandler billingErrors() {
			return (job, error) -> {
			};
		}

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Tiers {

		public int gold() {
			return 3;
		}

	}

	static class Handlers {

		@BusSubscriber(value = "${orders.event}", queue = "${orders.queue}", key = "${orders.key}",
				errorHandler = "${billing.errors}", attributes = { @Attribute(name = "region", value = "${orders.region}"),
						@Attribute(name = "tier", value = "#{@tiers.gold()}") },
				retry = @Retry(attemptsString = "${orders.retry.attempts}", delay = "${orders.retry.delay}",
						multiplierString = "#{@tiers.gold()}", maxDelay = "${orders.retry.max-delay}"))
		void placed(BusEvent event) {
		}

		@BusSubscriber("#{'user_' + 'paid'}")
		void paid(BusEvent event) {
		}

		@Critical(value = "${refund.event}", sync = true, errorHandler = "#{'billing' + 'Errors'}")
		void refund(BusEvent event) {
		}

	}

}
