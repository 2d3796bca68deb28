package io.resquebus.autoconfigure;

import io.resquebus.subscription.MissingAppKeyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start that failed because subscribers exist but {@code resquebus.app-key} is not set.
 */
class MissingAppKeyFailureAnalyzer extends AbstractFailureAnalyzer<MissingAppKeyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingAppKeyException cause) {
		return new FailureAnalysis(
				"The property 'resquebus.app-key' is not set, but the application declares bus subscribers: "
						+ String.join(", ", cause.sources()) + ".",
				"Set 'resquebus.app-key' (for example 'resquebus.app-key: my_app' in application.yml). It names "
						+ "this application's queues (my_app_default, my_app_critical) and its subscriptions in Redis.",
				cause);
	}

}
