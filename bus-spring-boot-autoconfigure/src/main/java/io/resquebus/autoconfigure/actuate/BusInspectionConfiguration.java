package io.resquebus.autoconfigure.actuate;

import java.time.Duration;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.driver.DriverRunner;
import io.resquebus.failure.FailedJobs;
import io.resquebus.inspect.BusInspector;
import io.resquebus.redis.BusRedis;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.worker.WorkerRunner;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the health contributor, the endpoint and the dashboard read: the Redis views, the runners
 * and the console built on them.
 */
@Configuration(proxyBeanMethods = false)
public class BusInspectionConfiguration {

	/** How long the console reuses one reading of the overview, however many pages poll it. */
	private static final Duration OVERVIEW_TTL = Duration.ofSeconds(1);

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

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ FailedJobs.class, SubscriptionRegistry.class, AppSubscriptions.class })
	BusConsole resqueBusConsole(BusInspector inspector, FailedJobs failedJobs, SubscriptionRegistry registry,
			AppSubscriptions subscriptions, BusRunners runners, BusRedis redis, BusSettings settings,
			ObjectProvider<MatchBudget> matchBudget) {
		BusConsole console = new BusConsole(inspector, failedJobs, registry, subscriptions, runners, redis, settings,
				OVERVIEW_TTL);
		matchBudget.ifAvailable(console::setMatchBudget);
		return console;
	}

}
