package io.resquebus.autoconfigure.outbox;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.EventConverter;
import io.resquebus.publish.EventTransport;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.config.EventExternalizationAutoConfiguration;
import org.springframework.modulith.events.config.EventPublicationAutoConfiguration;
import org.springframework.modulith.events.core.EventPublicationRegistry;

/**
 * Auto-configuration of the transactional outbox on Spring Modulith's event publication registry
 * (present with {@code spring-modulith-starter-jdbc}, for example): publishes in a transaction are
 * stored with it and sent after the commit until Redis takes them; and, unless
 * {@code resquebus.publish.outbox.externalize=false}, Modulith's {@code @Externalized} events are
 * published on the bus.
 */
@AutoConfiguration(after = { EventPublicationAutoConfiguration.class, EventExternalizationAutoConfiguration.class },
		afterName = "io.resquebus.autoconfigure.ResqueBusAutoConfiguration")
@ConditionalOnClass({ EventPublicationRegistry.class, EventTransport.class })
@ConditionalOnBean({ EventPublicationRegistry.class, EventTransport.class })
@ConditionalOnBooleanProperty(name = "resquebus.publish.outbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BusOutboxProperties.class)
public final class BusOutboxAutoConfiguration {

	/** Wraps the bus's transport in {@code ResqueBusAutoConfiguration}'s template. */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resquebus.publish.transactional", matchIfMissing = true)
	BusOutbox resqueBusOutbox(EventTransport transport, ApplicationEventPublisher events, BusSettings settings) {
		return new BusOutbox(transport, events, settings.codec());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resquebus.publish.transactional", matchIfMissing = true)
	BusOutboxResubmitter resqueBusOutboxResubmitter(BusOutbox outbox, IncompleteEventPublications incomplete,
			CompletedEventPublications completed, BusOutboxProperties properties) {
		return new BusOutboxResubmitter(outbox, incomplete, completed, properties);
	}

	/**
	 * Modulith's {@code @Externalized} application events, published on the bus.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ EventExternalizationConfiguration.class, BusOperations.class })
	@ConditionalOnBooleanProperty(name = "resquebus.publish.outbox.externalize", matchIfMissing = true)
	static class ExternalizationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BusEventExternalizer resqueBusEventExternalizer(EventExternalizationConfiguration configuration,
				BusOperations bus, BusSettings settings) {
			return new BusEventExternalizer(configuration,
					new BusExternalizationTransport(bus, new EventConverter(settings.codec().mapper())));
		}

	}

}
