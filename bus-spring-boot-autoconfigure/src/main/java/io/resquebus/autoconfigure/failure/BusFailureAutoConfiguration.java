package io.resquebus.autoconfigure.failure;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.failure.FailedJobs;
import io.resquebus.redis.BusRedis;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link FailedJobs}: count, page through, retry and remove the entries of Resque's failed list.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
@ConditionalOnBean({ BusSettings.class, BusRedis.class })
public final class BusFailureAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FailedJobs resqueBusFailedJobs(BusRedis redis, BusSettings settings, ObjectProvider<ResqueBusProperties> properties) {
		return new FailedJobs(redis, settings, properties.getIfAvailable(ResqueBusProperties::new).getReadTimeout());
	}

}
