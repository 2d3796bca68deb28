package io.resquebus.autoconfigure.actuate;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.driver.DriverRunner;
import io.resquebus.inspect.BusInspector;
import io.resquebus.redis.BusRedis;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.worker.WorkerRunner;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the health contributor and the endpoint both read: the Redis views and the runners.
 */
@Configuration(proxyBeanMethods = false)
class BusInspectionConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BusInspector resqueBusInspector(BusRedis redis, BusSettings settings, ObjectProvider<ResqueBusProperties> properties) {
		return new BusInspector(redis, settings, properties.getIfAvailable(ResqueBusProperties::new).getReadTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	BusRunners resqueBusRunners(ObjectProvider<DriverRunner> driver, ObjectProvider<WorkerRunner> worker,
			ObjectProvider<SchedulerRunner> scheduler) {
		return BusRunners.of(driver.getIfUnique(), worker.getIfUnique(), scheduler.getIfUnique());
	}

}
