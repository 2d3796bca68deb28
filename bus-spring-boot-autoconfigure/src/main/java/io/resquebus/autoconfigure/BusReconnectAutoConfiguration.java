package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Caps Lettuce's reconnect back-off at {@code resquebus.max-reconnect-delay}, so that the bus's
 * connections come back within about that time once Redis returns, however long it was away.
 * Lettuce's own back-off doubles up to 30 s: after an outage of a minute or more, publishing and
 * the runners would wait up to 30 s more for the next attempt. Applies to the application's
 * Lettuce client resources (Spring Boot's {@link ClientResources} bean), the ones the bus uses.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ ClientResources.class, ClientResourcesBuilderCustomizer.class })
@EnableConfigurationProperties(ResqueBusProperties.class)
public final class BusReconnectAutoConfiguration {

	@Bean
	ClientResourcesBuilderCustomizer resqueBusReconnectDelay(ResqueBusProperties properties) {
		Duration max = properties.getMaxReconnectDelay();
		return (builder) -> {
			if (!max.isNegative() && !max.isZero()) {
				builder.reconnectDelay(reconnectDelay(max));
			}
		};
	}

	/** Lettuce's exponential back-off (1 ms, 2 ms, 4 ms...), capped at {@code max}. */
	static Delay reconnectDelay(Duration max) {
		return Delay.exponential(Duration.ZERO, max, 2, TimeUnit.MILLISECONDS);
	}

}
