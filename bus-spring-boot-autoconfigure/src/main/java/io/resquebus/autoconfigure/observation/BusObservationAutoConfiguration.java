package io.resquebus.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.resquebus.autoconfigure.metrics.BusListenerAutoConfiguration;
import io.resquebus.micrometer.BusHandleObservationConvention;
import io.resquebus.micrometer.BusObservations;
import io.resquebus.micrometer.BusPublishObservationConvention;
import io.resquebus.micrometer.EventTypeTags;
import io.resquebus.subscription.AppSubscriptions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Observations of publishes and handler calls ({@code resquebus.publish}, {@code resquebus.handle})
 * when Micrometer Observation and an {@link ObservationRegistry} are there; a convention bean of
 * either kind replaces the default one.
 */
@AutoConfiguration(after = BusListenerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, EventTypeTags.class })
public final class BusObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BusObservations resqueBusObservations(ObservationRegistry registry, AppSubscriptions subscriptions,
			EventTypeTags eventTypes, ObjectProvider<BusPublishObservationConvention> publishConvention,
			ObjectProvider<BusHandleObservationConvention> handleConvention) {
		return new BusObservations(registry, subscriptions.hasAppKey() ? subscriptions.appKey() : null, eventTypes,
				publishConvention.getIfUnique(), handleConvention.getIfUnique());
	}

}
