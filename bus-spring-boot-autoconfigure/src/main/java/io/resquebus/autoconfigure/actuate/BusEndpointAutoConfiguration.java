package io.resquebus.autoconfigure.actuate;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.failure.BusFailureAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusSchedulerAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.failure.FailedJobs;
import io.resquebus.inspect.BusInspector;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.SubscriptionRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@code resquebus} endpoint, when {@code spring-boot-actuator-autoconfigure} is on the
 * classpath and the endpoint is available (exposed and not switched off).
 */
@AutoConfiguration(after = { ResqueBusAutoConfiguration.class, BusFailureAutoConfiguration.class,
		BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class, BusSchedulerAutoConfiguration.class,
		BusHealthContributorAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ BusRedis.class, BusSettings.class, FailedJobs.class, SubscriptionRegistry.class })
@ConditionalOnAvailableEndpoint(BusEndpoint.class)
@Import(BusInspectionConfiguration.class)
public final class BusEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BusEndpoint resqueBusEndpoint(BusConsole console, BusInspector inspector, FailedJobs failedJobs) {
		return new BusEndpoint(console, inspector, failedJobs);
	}

}
