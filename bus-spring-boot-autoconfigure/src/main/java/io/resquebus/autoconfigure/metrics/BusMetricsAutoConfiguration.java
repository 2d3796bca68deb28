package io.resquebus.autoconfigure.metrics;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.resquebus.BusSettings;
import io.resquebus.micrometer.BusMetrics;
import io.resquebus.micrometer.BusObservations;
import io.resquebus.micrometer.EventTypeTags;
import io.resquebus.micrometer.QueueGauges;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.AppSubscriptions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The bus's meters when Micrometer and a {@link MeterRegistry} are there (handler calls are
 * timed by the {@code resquebus.handle} observation instead when {@link BusObservations} observe
 * them); the queue gauges only
 * when {@code resquebus.metrics.queue-gauges.enabled} is set, because they read Redis.
 */
@AutoConfiguration(after = BusListenerAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, EventTypeTags.class })
public final class BusMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BusMetrics resqueBusMetrics(MeterRegistry registry, AppSubscriptions subscriptions, EventTypeTags eventTypes,
			ObjectProvider<BusObservations> observations) {
		// With observations the resquebus.handle observation yields the handler timer: never time twice.
		BusObservations observing = observations.getIfAvailable();
		return new BusMetrics(registry, subscriptions.hasAppKey() ? subscriptions.appKey() : null, eventTypes,
				observing == null || !observing.observing());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(BusRedis.class)
	@ConditionalOnBooleanProperty("resquebus.metrics.queue-gauges.enabled")
	QueueGauges resqueBusQueueGauges(BusRedis redis, BusSettings settings, BusMetricsProperties properties) {
		return new QueueGauges(redis, settings.keys(), properties.getQueueGauges().getCacheTtl(),
				Clock.systemUTC());
	}

}
