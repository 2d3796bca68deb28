package io.resquebus.autoconfigure.runner;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.driver.DriverRunner;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.EventTransport;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.QueueWakeUp;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.SubscriptionRegistry;

import io.resquebus.runner.ConsumerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The driver runner: by default in the {@code queued} local mode only, else as
 * {@code resquebus.driver.enabled} says.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
@ConditionalOnBean(BusRedis.class)
@Conditional(DriverEnabledCondition.class)
public final class BusDriverAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DriverRunner resqueBusDriverRunner(BusRedis redis, BusSettings settings, SubscriptionRegistry registry,
			ObjectProvider<BusTemplate> template, ObjectProvider<EventTransport> transport,
			ResqueBusProperties properties,
			ObjectProvider<ConsumerRegistry> consumerRegistry, ObjectProvider<MatchBudget> matchBudget, ObjectProvider<QueueWakeUp> wakeUp) {
		ResqueBusProperties.Driver driver = properties.getDriver();
		DriverRunner runner = new DriverRunner(redis, settings, registry, driver.getBatchSize(),
				driver.getBlockTimeout(), BusHeartbeats.create(redis, settings, template, transport, properties));
		runner.setConsumerRegistry(consumerRegistry.getIfAvailable());
		runner.setMaxFailed(properties.getFailures().getMaxEntries());
		runner.setMaxFailedBytes(properties.getFailures().getMaxBytes().toBytes());
		runner.setWakeUp(wakeUp.getIfAvailable());
		runner.setMaxPayloadSize(driver.getMaxPayloadSize().toBytes());
		matchBudget.ifAvailable(runner::setMatchBudget);
		runner.setAutoStartup(properties.getDriver().isAutoStartup());
		return runner;
	}

}
