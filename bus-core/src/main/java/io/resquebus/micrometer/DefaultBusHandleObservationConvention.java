package io.resquebus.micrometer;

import io.micrometer.common.KeyValues;
import io.resquebus.micrometer.BusObservation.HandleHighCardinalityKeys;
import io.resquebus.micrometer.BusObservation.HandleKeys;

/** The default names and tags of {@link BusObservation#HANDLE}: every key always present. */
public class DefaultBusHandleObservationConvention implements BusHandleObservationConvention {

	/** The shared instance. */
	public static final DefaultBusHandleObservationConvention INSTANCE = new DefaultBusHandleObservationConvention();

	@Override
	public String getName() {
		return "resquebus.handle";
	}

	@Override
	public String getContextualName(BusHandleContext context) {
		return context.getSubscription() + " process";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(BusHandleContext context) {
		return KeyValues.of(HandleKeys.APP_KEY.withValue(context.getAppKey()),
				HandleKeys.QUEUE.withValue(context.getQueue()),
				HandleKeys.SUBSCRIPTION.withValue(context.getSubscription()),
				HandleKeys.EVENT_TYPE.withValue(context.getEventType()),
				HandleKeys.MESSAGING_SYSTEM.withValue("redis"), HandleKeys.MESSAGING_OPERATION.withValue("process"),
				HandleKeys.MESSAGING_OPERATION_TYPE.withValue("process"),
				HandleKeys.MESSAGING_DESTINATION_NAME.withValue(context.getQueue()),
				HandleKeys.OUTCOME.withValue((context.getError() != null) ? "failure" : "success"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(BusHandleContext context) {
		return KeyValues.of(HandleHighCardinalityKeys.BUS_ID.withValue(context.getBusId()));
	}

}
