package io.resquebus.autoconfigure.runner;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.driver.DriverRunner;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.SubscriptionRegistry;

import io.resquebus.worker.ConsumerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The driver runner, unless {@code resquebus.driver.enabled=false}.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
@ConditionalOnBean(BusSettings.class)
@ConditionalOnBooleanProperty(name = "resquebus.driver.enabled", matchIfMissing = true)
public final class BusDriverAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DriverRunner resqueBusDriverRunner(BusRedis redis, BusSettings settings, SubscriptionRegistry registry,
			ResqueBusProperties properties, ObjectProvider<ConsumerRegistry> consumerRegistry) {
		ResqueBusProperties.Driver driver = properties.getDriver();
		DriverRunner runner = new DriverRunner(redis, settings, registry, driver.getBatchSize(),
				driver.getBlockTimeout());
		runner.setConsumerRegistry(consumerRegistry.getIfAvailable());
		runner.setMaxPayloadSize(driver.getMaxPayloadSize().toBytes());
		return runner;
	}

}
