package io.resquebus.autoconfigure.runner;

import io.resquebus.BusSettings;
import io.resquebus.hook.BeansByName;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.hook.BusErrorHandler;
import io.resquebus.hook.BusErrorHandlers;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.QueueWakeUp;
import io.resquebus.retry.BusExceptionClassifier;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.worker.JobThrottle;
import io.resquebus.worker.WorkerRunner;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.function.SingletonSupplier;

/**
 * The worker runner for this app's queues, unless {@code resquebus.worker.enabled=false};
 * on Redis only (never in the inline local mode). Failed runs are retried under
 * {@code resquebus.retry.*} (resque-retry's delays by default), errors the
 * {@link BusExceptionClassifier} bean calls fatal are not.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
@ConditionalOnBean(BusRedis.class)
@ConditionalOnBooleanProperty(name = "resquebus.worker.enabled", matchIfMissing = true)
public final class BusWorkerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WorkerRunner resqueBusWorkerRunner(BusRedis redis, BusSettings settings, AppSubscriptions subscriptions,
			ResqueBusProperties properties, ObjectProvider<ConsumerRegistry> consumerRegistry,
			BusExceptionClassifier exceptionClassifier, ListableBeanFactory beanFactory,
			ObjectProvider<ResqueJobRunner> plainJobs, ObjectProvider<QueueWakeUp> wakeUp) {
		ResqueBusProperties.Worker worker = properties.getWorker();
		WorkerRunner runner = new WorkerRunner(redis, settings, subscriptions, worker.getQueues(),
				worker.getBatchSize(), worker.getBlockTimeout());
		runner.setConsumers(worker.getConcurrency());
		runner.setShutdownTimeout(worker.getShutdownTimeout());
		runner.setConsumerRegistry(consumerRegistry.getIfAvailable());
		runner.setMaxFailed(properties.getFailures().getMaxEntries());
		runner.setMaxFailedBytes(properties.getFailures().getMaxBytes().toBytes());
		runner.setWakeUp(wakeUp.getIfAvailable());
		runner.setMaxPayloadSize(worker.getMaxPayloadSize().toBytes());
		runner.setRetryPolicy(retryPolicy(properties.getRetry()));
		runner.setExceptionClassifier(exceptionClassifier);
		runner.setQueueRefreshInterval(worker.getQueueRefreshInterval());
		JobThrottle throttle = new JobThrottle(worker.getJobsPerSecond(), worker.getQueueRates());
		runner.setThrottle(throttle.limits() ? throttle : null);
		runner.setPlainJobs(plainJobs.getIfAvailable());
		// Looked up at the first failure, once every singleton exists, then kept.
		runner.setErrorHandlers(new BusErrorHandlers(settings.codec(), subscriptions,
				SingletonSupplier.of(() -> BeansByName.ordered(beanFactory, BusErrorHandler.class))));
		runner.setAutoStartup(properties.getWorker().isAutoStartup());
		return runner;
	}

	/** The policy the retry properties describe, or {@code null} when retries are disabled. */
	static @Nullable RetryPolicy retryPolicy(ResqueBusProperties.Retry retry) {
		if (!retry.isEnabled()) {
			return null;
		}
		if (retry.getDelay() != null) {
			return BusRetryPolicies.exponential(retry.getMaxAttempts(), retry.getDelay(), retry.getMultiplier(),
					retry.getMaxDelay(), retry.getJitter());
		}
		return BusRetryPolicies.delays(retry.getMaxAttempts(),
				retry.getDelays().isEmpty() ? BusRetryPolicies.RESQUE_RETRY_DELAYS : retry.getDelays(),
				retry.getJitter());
	}

	/** Which errors are retried at all; declare a bean of your own to change the defaults. */
	@Bean
	@ConditionalOnMissingBean
	BusExceptionClassifier resqueBusExceptionClassifier() {
		return new BusExceptionClassifier();
	}

}
