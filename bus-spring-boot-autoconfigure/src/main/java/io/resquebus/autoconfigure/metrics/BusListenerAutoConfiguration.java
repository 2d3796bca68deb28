package io.resquebus.autoconfigure.metrics;

import io.resquebus.BusListener;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.micrometer.EventTypeTags;
import io.resquebus.subscription.AppSubscriptions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Hands every {@link BusListener} bean (the meters, the observations, the app's own)
 * to the bus's template and runners, and bounds the event type tag they share.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
@ConditionalOnBean(AppSubscriptions.class)
@EnableConfigurationProperties(BusMetricsProperties.class)
public final class BusListenerAutoConfiguration {

	@Bean
	static BusListenerPostProcessor resqueBusListenerPostProcessor(
			ObjectProvider<BusListener> listeners) {
		return new BusListenerPostProcessor(listeners);
	}

	@Bean
	@ConditionalOnMissingBean
	EventTypeTags resqueBusEventTypeTags(AppSubscriptions subscriptions, BusMetricsProperties properties) {
		return EventTypeTags.of(subscriptions, properties.getMaxEventTypes());
	}

}
