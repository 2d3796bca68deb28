package io.resquebus.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags a {@link BusObservation#HANDLE} observation; declare a bean to replace the default. */
public interface BusHandleObservationConvention extends ObservationConvention<BusHandleContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof BusHandleContext;
	}

}
