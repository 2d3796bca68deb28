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
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MatchBudget;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@code resquebus} health contributor, when {@code spring-boot-health} is on the classpath
 * and {@code management.health.resquebus.enabled} is not false.
 */
@AutoConfiguration(after = { ResqueBusAutoConfiguration.class, BusFailureAutoConfiguration.class,
		BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class, BusSchedulerAutoConfiguration.class })
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean({ BusRedis.class, BusSettings.class, FailedJobs.class })
@ConditionalOnEnabledHealthIndicator("resquebus")
@Import(BusInspectionConfiguration.class)
public final class BusHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "resquebusHealthIndicator")
	BusHealthIndicator resquebusHealthIndicator(BusInspector inspector, FailedJobs failedJobs, BusRunners runners,
			AppSubscriptions subscriptions, ObjectProvider<MatchBudget> matchBudget) {
		BusHealthIndicator indicator = new BusHealthIndicator(inspector, failedJobs, runners, subscriptions);
		indicator.setMatchBudget(matchBudget.getIfAvailable());
		return indicator;
	}

}
