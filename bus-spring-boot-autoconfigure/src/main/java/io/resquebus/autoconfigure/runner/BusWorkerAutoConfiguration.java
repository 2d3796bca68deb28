package io.resquebus.autoconfigure.runner;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.redis.BusRedis;
import io.resquebus.retry.BusExceptionClassifier;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.worker.WorkerRunner;

import io.resquebus.worker.ConsumerRegistry;

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
			BusExceptionClassifier exceptionClassifier) {
		ResqueBusProperties.Worker worker = properties.getWorker();
		WorkerRunner runner = new WorkerRunner(redis, settings, subscriptions, worker.getQueues(),
				worker.getBatchSize(), worker.getBlockTimeout());
		runner.setConsumers(worker.getConcurrency());
		runner.setShutdownTimeout(worker.getShutdownTimeout());
		runner.setConsumerRegistry(consumerRegistry.getIfAvailable());
		runner.setMaxFailed(properties.getFailures().getMaxEntries());
		runner.setMaxPayloadSize(worker.getMaxPayloadSize().toBytes());
		runner.setRetryPolicy(properties.getRetry().toPolicy());
		runner.setExceptionClassifier(exceptionClassifier);
		return runner;
	}

	/** Which errors are retried at all; declare a bean of your own to change the defaults. */
	@Bean
	@ConditionalOnMissingBean
	BusExceptionClassifier resqueBusExceptionClassifier() {
		return new BusExceptionClassifier();
	}

}
