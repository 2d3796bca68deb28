package io.resquebus.autoconfigure.runner;

import java.util.LinkedHashMap;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.hook.BusErrorHandler;
import io.resquebus.hook.BusErrorHandlers;
import io.resquebus.redis.BusRedis;
import io.resquebus.retry.BusExceptionClassifier;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.worker.JobThrottle;
import io.resquebus.worker.WorkerRunner;

import io.resquebus.worker.ConsumerRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

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
			BusExceptionClassifier exceptionClassifier, ListableBeanFactory beanFactory) {
		ResqueBusProperties.Worker worker = properties.getWorker();
		WorkerRunner runner = new WorkerRunner(redis, settings, subscriptions, worker.getQueues(),
				worker.getBatchSize(), worker.getBlockTimeout());
		runner.setConsumers(worker.getConcurrency());
		runner.setShutdownTimeout(worker.getShutdownTimeout());
		runner.setConsumerRegistry(consumerRegistry.getIfAvailable());
		runner.setMaxFailed(properties.getFailures().getMaxEntries());
		runner.setMaxFailedBytes(properties.getFailures().getMaxBytes().toBytes());
		runner.setMaxPayloadSize(worker.getMaxPayloadSize().toBytes());
		runner.setRetryPolicy(properties.getRetry().toPolicy());
		runner.setExceptionClassifier(exceptionClassifier);
		runner.setQueueRefreshInterval(worker.getQueueRefreshInterval());
		JobThrottle throttle = new JobThrottle(worker.getJobsPerSecond(), worker.getQueueRates());
		runner.setThrottle(throttle.limits() ? throttle : null);
		runner.setErrorHandlers(
				new BusErrorHandlers(settings.codec(), subscriptions, () -> errorHandlersByName(beanFactory)));
		runner.setAutoStartup(properties.getWorker().isAutoStartup());
		return runner;
	}

	/** Which errors are retried at all; declare a bean of your own to change the defaults. */
	@Bean
	@ConditionalOnMissingBean
	BusExceptionClassifier resqueBusExceptionClassifier() {
		return new BusExceptionClassifier();
	}

	/** Every {@link BusErrorHandler} bean by name, in {@code @Order}; asked at each failure. */
	private static Map<String, BusErrorHandler> errorHandlersByName(ListableBeanFactory beanFactory) {
		Map<String, BusErrorHandler> byName = beanFactory.getBeansOfType(BusErrorHandler.class);
		Map<String, BusErrorHandler> ordered = new LinkedHashMap<>();
		beanFactory.getBeanProvider(BusErrorHandler.class).orderedStream().forEach((handler) -> byName.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() == handler)
			.findFirst()
			.ifPresent((entry) -> ordered.put(entry.getKey(), handler)));
		return ordered;
	}

}
