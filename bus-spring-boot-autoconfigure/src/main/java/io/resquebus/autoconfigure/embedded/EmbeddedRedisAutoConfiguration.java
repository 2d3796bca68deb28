package io.resquebus.autoconfigure.embedded;

import io.resquebus.embedded.EmbeddedRedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Starts an embedded Redis on a free port when {@code bus-embedded-redis} is on the classpath and
 * no Redis is configured, the way Spring Boot starts an embedded database: one property
 * ({@code spring.data.redis.url}) switches to a real one. For development, not production. Never in
 * the inline local mode, which needs no Redis.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ EmbeddedRedisServer.class, DataRedisConnectionDetails.class })
@ConditionalOnBooleanProperty(name = "resquebus.embedded-redis.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(DataRedisConnectionDetails.class)
@Conditional(NoRedisConfiguredCondition.class)
public final class EmbeddedRedisAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedRedisAutoConfiguration.class);

	@Bean(destroyMethod = "stop")
	EmbeddedRedisServer resqueBusEmbeddedRedisServer() {
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().stopAtJvmExit(false).build();
		server.start();
		logger.info("No Redis configured: started an embedded Redis at {} ({}). Set spring.data.redis.url to use "
				+ "your own.", server.url(), server.binary());
		return server;
	}

	@Bean
	DataRedisConnectionDetails resqueBusEmbeddedRedisConnectionDetails(EmbeddedRedisServer server) {
		return new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of(server.host(), server.port());
			}

		};
	}

}
