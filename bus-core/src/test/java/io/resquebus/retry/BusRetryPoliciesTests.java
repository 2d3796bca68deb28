package io.resquebus.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.invoke.EventBindingException;
import io.resquebus.invoke.UnknownSubscriptionException;
import io.resquebus.wire.MalformedJobException;
import io.resquebus.wire.OversizedJobException;
import org.junit.jupiter.api.Test;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delays of the retry policies and the default classification of errors.
 */
class BusRetryPoliciesTests {

	@Test
	void defaultPolicyWaitsResqueRetrysDelaysAndGivesUpAfterSevenRuns() {
		RetryPolicy policy = BusRetryPolicies.resqueRetry();
		List<Long> seconds = new ArrayList<>();
		for (long failedRuns = 0; BusRetryPolicies.delayBeforeRetry(policy, failedRuns) != null; failedRuns++) {
			seconds.add(BusRetryPolicies.delayBeforeRetry(policy, failedRuns).toSeconds());
		}
		assertThat(seconds).containsExactly(0L, 60L, 600L, 3600L, 10800L, 21600L);
	}

	@Test
	void delayListRepeatsItsLastDelayUpToTheMaxAttempts() {
		RetryPolicy policy = BusRetryPolicies.delays(5, List.of(Duration.ZERO, Duration.ofSeconds(5)), Duration.ZERO);
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).isZero();
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 3)).hasSeconds(5);
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 4)).isNull();
	}

	@Test
	void jitterMovesNonZeroDelaysWithinItsBoundsAndKeepsZeroAtOnce() {
		RetryPolicy policy = BusRetryPolicies.delays(3, List.of(Duration.ZERO, Duration.ofSeconds(10)),
				Duration.ofSeconds(2));
		for (int i = 0; i < 50; i++) {
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).isZero();
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 1)).isBetween(Duration.ofSeconds(8),
					Duration.ofSeconds(12));
		}
	}

	@Test
	void exponentialPolicyGrowsUpToItsMaxDelayAndStopsAfterItsAttempts() {
		RetryPolicy policy = BusRetryPolicies.exponential(4, Duration.ofSeconds(10), 3, Duration.ofSeconds(60),
				Duration.ZERO);
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).hasSeconds(10);
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 1)).hasSeconds(30);
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 2)).hasSeconds(60);
		assertThat(BusRetryPolicies.delayBeforeRetry(policy, 3)).isNull();
	}

	@Test
	void noPolicyNeverRetries() {
		assertThat(BusRetryPolicies.delayBeforeRetry(BusRetryPolicies.none(), 0)).isNull();
	}

	@Test
	void classifiesErrorsRetryingCannotFixAsNotRetryable() {
		BusExceptionClassifier classifier = new BusExceptionClassifier();
		assertThat(classifier.isRetryable(new MalformedJobException("bad"))).isFalse();
		assertThat(classifier.isRetryable(new OversizedJobException(10, 5))).isFalse();
		assertThat(classifier.isRetryable(new EventBindingException("bad", new RuntimeException()))).isFalse();
		assertThat(classifier.isRetryable(new UnknownSubscriptionException("gone"))).isFalse();
		assertThat(classifier.isRetryable(new ClassCastException())).isFalse();
		assertThat(classifier.isRetryable(new IllegalStateException("db down"))).isTrue();
		assertThat(classifier.isRetryable(new IllegalStateException("wrapped", new ClassCastException()))).isFalse();
	}

	@Test
	void classificationCanBeChanged() {
		BusExceptionClassifier classifier = new BusExceptionClassifier();
		classifier.addNotRetryableExceptions(IllegalStateException.class);
		classifier.addRetryableExceptions(ClassCastException.class);
		assertThat(classifier.isRetryable(new IllegalStateException())).isFalse();
		assertThat(classifier.isRetryable(new ClassCastException())).isTrue();
		assertThat(classifier.removeClassification(IllegalStateException.class)).isFalse();
		assertThat(classifier.isRetryable(new IllegalStateException())).isTrue();
		classifier.setTraverseCauses(false);
		assertThat(classifier.isRetryable(new RuntimeException(new MalformedJobException("x")))).isTrue();
	}

}
