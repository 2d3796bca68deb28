package io.resquebus.autoconfigure.runner;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.runner.QueueRunner;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Leases of this process's consumers, their Resque worker entries, and recovery of the jobs of
 * dead consumers (any process's). Only where a driver or worker runs: an app that only publishes
 * never touches Redis in the background.
 */
@AutoConfiguration(after = { ResqueBusAutoConfiguration.class, BusDriverAutoConfiguration.class,
		BusWorkerAutoConfiguration.class })
@ConditionalOnBean({ BusSettings.class, BusRedis.class, QueueRunner.class })
public final class BusRecoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ConsumerRegistry resqueBusConsumerRegistry(BusRedis redis, BusSettings settings, ResqueBusProperties properties) {
		return new ConsumerRegistry(redis, settings, properties.getRecovery().getLeaseTime());
	}

	@Bean
	@ConditionalOnMissingBean
	OrphanRecovery resqueBusOrphanRecovery(BusRedis redis, BusSettings settings, ConsumerRegistry registry) {
		return new OrphanRecovery(redis, settings, registry);
	}

	@Bean
	@ConditionalOnMissingBean
	BusMaintenance resqueBusMaintenance(ConsumerRegistry registry, OrphanRecovery recovery,
			ResqueBusProperties properties) {
		return new BusMaintenance(registry, recovery, properties.getRecovery().getInterval());
	}

}
