package io.resquebus.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags a {@link BusObservation#PUBLISH} observation; declare a bean to replace the default. */
public interface BusPublishObservationConvention extends ObservationConvention<BusPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof BusPublishContext;
	}

}
