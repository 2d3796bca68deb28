package io.resquebus.autoconfigure.runner;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code resquebus.driver.enabled} is true or, when it is not set, in the
 * {@code queued} local mode: a standalone publisher fans out itself and needs no driver.
 */
class DriverEnabledCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String enabled = environment.getProperty("resquebus.driver.enabled");
		if (enabled != null) {
			return Boolean.parseBoolean(enabled.trim()) ? ConditionOutcome.match("resquebus.driver.enabled is true")
					: ConditionOutcome.noMatch("resquebus.driver.enabled is false");
		}
		String mode = environment.getProperty("resquebus.local-mode", "queued").trim();
		return mode.equalsIgnoreCase("queued") ? ConditionOutcome.match("local mode queued")
				: ConditionOutcome.noMatch("local mode " + mode + " needs no driver (resquebus.driver.enabled unset)");
	}

}
