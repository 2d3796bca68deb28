package io.resquebus.dashboard;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.actuate.BusConsole;
import io.resquebus.autoconfigure.actuate.BusEndpointAutoConfiguration;
import io.resquebus.autoconfigure.actuate.BusInspectionConfiguration;
import io.resquebus.autoconfigure.failure.BusFailureAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusSchedulerAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.failure.FailedJobs;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.SubscriptionRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The bus dashboard at {@code resquebus.dashboard.path}, in Spring MVC apps that switch it on with
 * {@code resquebus.dashboard.enabled=true}. WebFlux apps keep the {@code resquebus} endpoint.
 */
@AutoConfiguration(after = { ResqueBusAutoConfiguration.class, BusFailureAutoConfiguration.class,
		BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class, BusSchedulerAutoConfiguration.class,
		BusEndpointAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("resquebus.dashboard.enabled")
@ConditionalOnBean({ BusRedis.class, BusSettings.class, FailedJobs.class, SubscriptionRegistry.class })
@EnableConfigurationProperties(BusDashboardProperties.class)
@Import(BusInspectionConfiguration.class)
public final class BusDashboardAutoConfiguration {

	@Bean
	DashboardAccess resqueBusDashboardAccess(BusDashboardProperties properties, ListableBeanFactory beans) {
		return new DashboardAccess(properties, beans);
	}

	@Bean
	RouterFunction<ServerResponse> resqueBusDashboardRoutes(BusConsole console, BusDashboardProperties properties,
			DashboardAccess access) {
		return new DashboardRoutes(console, properties).routes(access);
	}

}
