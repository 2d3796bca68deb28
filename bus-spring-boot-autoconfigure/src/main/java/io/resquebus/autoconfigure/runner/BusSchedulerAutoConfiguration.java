package io.resquebus.autoconfigure.runner;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.EventTransport;
import io.resquebus.redis.BusRedis;
import io.resquebus.schedule.SchedulerRunner;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The scheduler runner, which moves due delayed events onto their queues and runs queue-bus's
 * minute heartbeat, unless {@code resquebus.scheduler.enabled=false}; on Redis only (never in the
 * inline local mode).
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
@ConditionalOnBean(BusRedis.class)
@ConditionalOnBooleanProperty(name = "resquebus.scheduler.enabled", matchIfMissing = true)
public final class BusSchedulerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SchedulerRunner resqueBusSchedulerRunner(BusRedis redis, BusSettings settings,
			ObjectProvider<BusTemplate> template, ObjectProvider<EventTransport> transport,
			ResqueBusProperties properties) {
		ResqueBusProperties.Scheduler scheduler = properties.getScheduler();
		SchedulerRunner runner = new SchedulerRunner(redis, settings, scheduler.getPollInterval(),
				scheduler.getBatchSize());
		if (scheduler.isHeartbeat()) {
			runner.setHeartbeat(BusHeartbeats.create(redis, settings, template, transport, properties));
		}
		runner.setAutoStartup(properties.getScheduler().isAutoStartup());
		return runner;
	}

}
