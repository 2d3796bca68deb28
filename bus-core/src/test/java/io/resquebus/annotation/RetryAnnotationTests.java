package io.resquebus.annotation;

import java.time.Duration;

import io.resquebus.dispatch.BusDispatch;
import io.resquebus.internal.EventBinder;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Per-subscription retry policies from {@link Retry} and from the dispatch DSL.
 */
class RetryAnnotationTests {

	private final AppSubscriptions subscriptions = new AppSubscriptions("app");

	@Test
	void keepsTheApplicationsPolicyWhenRetryIsLeftAtItsDefaults() {
		scan(new Handlers());
		assertThat(policy("Handlers.plain")).isNull();
	}

	@Test
	void buildsAnExponentialPolicyFromTheAnnotation() {
		scan(new Handlers());
		RetryPolicy policy = policy("Handlers.exponential");
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).isEqualTo(Duration.ofSeconds(10));
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 1)).isEqualTo(Duration.ofSeconds(20));
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 2)).isNull();
	}

	@Test
	void keepsResqueRetrysDelaysWhenOnlyTheAttemptsAreGiven() {
		scan(new Handlers());
		RetryPolicy policy = policy("Handlers.twoRuns");
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).isZero();
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 1)).isNull();
		assertThat(BusRetryPolicies.delayBeforeRetry(policy("Handlers.critical"), 0)).isNull();
	}

	@Test
	void failsOnADelayThatIsNotADuration() {
		assertThatIllegalStateException().isThrownBy(() -> scan(new Broken()))
			.withMessageContaining("@Retry delay 'soon'");
	}

	@Test
	void givesTheDslsRetryPolicyToItsSubscriptions() {
		RetryPolicy policy = BusRetryPolicies.none();
		BusDispatch dispatch = new BusDispatch(this.subscriptions, new EventBinder(WireCodec::defaultMapper), "test");
		dispatch.retry(policy).critical().subscribe("a", (event) -> {
		});
		dispatch.subscribe("b", (event) -> {
		});
		assertThat(policy("a")).isSameAs(policy);
		assertThat(this.subscriptions.find("a").orElseThrow().queue()).isEqualTo("critical");
		assertThat(policy("b")).isNull();
	}

	private RetryPolicy policy(String key) {
		return this.subscriptions.find(key).map(LocalSubscription::retry).orElse(null);
	}

	private void scan(Object bean) {
		new BusSubscriberAnnotationBeanPostProcessor(this.subscriptions, new WireCodec())
			.postProcessAfterInitialization(bean, "bean");
	}

	static class Handlers {

		@BusSubscriber("a")
		void plain() {
		}

		@BusSubscriber(value = "b", retry = @Retry(attempts = 3, delay = "10s", multiplier = 2))
		void exponential() {
		}

		@BusSubscriber(value = "c", retry = @Retry(attempts = 2))
		void twoRuns() {
		}

		@Critical(value = "d", retry = @Retry(attempts = 1))
		void critical() {
		}

	}

	static class Broken {

		@BusSubscriber(value = "a", retry = @Retry(delay = "soon"))
		void handle() {
		}

	}

}
