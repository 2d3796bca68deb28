package io.resquebus.autoconfigure.embedded;

import io.resquebus.autoconfigure.OwnRedisCondition;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when none of the {@code spring.data.redis.*} (or {@code resquebus.redis.*}) properties
 * that say where Redis is are set, unless the bus runs in the inline local mode, which needs no
 * Redis at all.
 */
class NoRedisConfiguredCondition extends SpringBootCondition {

	private static final String[] LOCATION_PROPERTIES = { "spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.sentinel.master", "spring.data.redis.cluster.nodes",
			"spring.data.redis.cluster.nodes[0]", "spring.data.redis.masterreplica.nodes",
			"spring.data.redis.masterreplica.nodes[0]" };

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String mode = environment.getProperty("resquebus.local-mode");
		if (mode != null && mode.trim().equalsIgnoreCase("inline")) {
			return ConditionOutcome.noMatch("resquebus.local-mode is inline: no Redis needed");
		}
		for (String property : LOCATION_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return ConditionOutcome.noMatch(property + " is set");
			}
		}
		for (String property : OwnRedisCondition.LOCATION_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return ConditionOutcome.noMatch(property + " is set: the bus has a Redis of its own");
			}
		}
		return ConditionOutcome.match("no spring.data.redis location property is set");
	}

}
