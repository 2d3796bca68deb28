package io.resquebus.autoconfigure.runner;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.QueueWakeUp;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * One {@link QueueWakeUp} per bus, given to the driver and worker: their idle consumers (which
 * poll, jobs being size-checked) look again as soon as Redis tells of a write to their queues.
 * Inactive in cluster mode and without Lettuce; off with {@code resquebus.wake-up=false}.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class,
		before = { BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class })
@ConditionalOnBean(BusRedis.class)
@ConditionalOnProperty(name = "resquebus.wake-up", havingValue = "true", matchIfMissing = true)
public final class BusWakeUpAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	QueueWakeUp resqueBusQueueWakeUp(BusRedis redis, BusSettings settings) {
		return QueueWakeUp.of(redis, settings.keys()); // connects once a size-checked consumer needs it
	}

}
