package io.resquebus.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code resquebus.redis.*} says where the bus's own Redis is: the bus then gets a
 * connection factory of its own.
 */
public class OwnRedisCondition extends SpringBootCondition {

	/** The properties that give the bus's Redis a location (the rest only tune it). */
	public static final String[] LOCATION_PROPERTIES = { "resquebus.redis.url", "resquebus.redis.host",
			"resquebus.redis.port", "resquebus.redis.sentinel.master", "resquebus.redis.cluster.nodes",
			"resquebus.redis.cluster.nodes[0]" };

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		for (String property : LOCATION_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return ConditionOutcome.match(property + " is set: the bus has a Redis of its own");
			}
		}
		return ConditionOutcome.noMatch("no resquebus.redis location property is set: the bus uses the"
				+ " application's RedisConnectionFactory");
	}

}
