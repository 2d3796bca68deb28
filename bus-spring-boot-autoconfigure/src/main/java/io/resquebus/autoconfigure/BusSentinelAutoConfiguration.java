package io.resquebus.autoconfigure;

import io.lettuce.core.ReadFrom;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Makes the application's Lettuce connection under {@code spring.data.redis.sentinel.*} follow a
 * failover: with no {@code spring.data.redis.lettuce.read-from} set, reads and writes go to the
 * master through a Lettuce Master/Replica connection ({@link ReadFrom#UPSTREAM}), which listens to
 * the Sentinels and moves to a new master as soon as they announce it. Spring's default there is a
 * plain connection that keeps writing to a demoted master until it drops the connection, writes a
 * resync then wipes out. Reading from the master only changes nothing else.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ ReadFrom.class, LettuceClientConfigurationBuilderCustomizer.class })
@ConditionalOnProperty("spring.data.redis.sentinel.master")
public final class BusSentinelAutoConfiguration {

	static final String READ_FROM = "spring.data.redis.lettuce.read-from";

	@Bean
	LettuceClientConfigurationBuilderCustomizer resqueBusSentinelReadFromUpstream(Environment environment) {
		boolean chosen = StringUtils.hasText(environment.getProperty(READ_FROM));
		return (builder) -> {
			if (!chosen) {
				builder.readFrom(ReadFrom.UPSTREAM);
			}
		};
	}

}
