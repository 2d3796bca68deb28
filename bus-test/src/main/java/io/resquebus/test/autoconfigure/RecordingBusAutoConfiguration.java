package io.resquebus.test.autoconfigure;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.internal.InProcessDelivery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.test.RecordingBusOperations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * The recording bus of {@link AutoConfigureRecordingBus}. Runs before the bus's own
 * auto-configuration, whose {@code BusTemplate} then backs off; delivers to the handlers the
 * application's {@link AppSubscriptions} hold.
 */
@AutoConfiguration(before = ResqueBusAutoConfiguration.class)
public final class RecordingBusAutoConfiguration {

	static final String DELIVER_PROPERTY = "resquebus.test.recording.deliver";

	@Bean
	@Primary
	@ConditionalOnMissingBean(RecordingBusOperations.class)
	RecordingBusOperations recordingBusOperations(ObjectProvider<BusSettings> settings,
			ObjectProvider<AppSubscriptions> subscriptions, Environment environment) {
		BusSettings busSettings = settings.getIfUnique(BusSettings::defaults);
		AppSubscriptions appSubscriptions = subscriptions.getIfUnique();
		boolean deliver = environment.getProperty(DELIVER_PROPERTY, Boolean.class, false);
		if (appSubscriptions == null) {
			if (deliver) {
				throw new IllegalStateException("@AutoConfigureRecordingBus(deliver = true) found no AppSubscriptions "
						+ "bean to deliver to; is the bus auto-configuration (bus-spring-boot-starter) on the classpath?");
			}
			return new RecordingBusOperations(busSettings);
		}
		return new RecordingBusOperations(busSettings, new InProcessDelivery(busSettings, appSubscriptions), deliver);
	}

}
