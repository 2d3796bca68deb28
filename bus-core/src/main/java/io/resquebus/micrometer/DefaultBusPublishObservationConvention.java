package io.resquebus.micrometer;

import io.micrometer.common.KeyValues;
import io.resquebus.micrometer.BusObservation.PublishKeys;

/** The default names and tags of {@link BusObservation#PUBLISH}: every key always present. */
public class DefaultBusPublishObservationConvention implements BusPublishObservationConvention {

	/** The shared instance. */
	public static final DefaultBusPublishObservationConvention INSTANCE = new DefaultBusPublishObservationConvention();

	@Override
	public String getName() {
		return "resquebus.publish";
	}

	@Override
	public String getContextualName(BusPublishContext context) {
		return context.getEventType() + " publish";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(BusPublishContext context) {
		return KeyValues.of(PublishKeys.APP_KEY.withValue(context.getAppKey()),
				PublishKeys.EVENT_TYPE.withValue(context.getEventType()),
				PublishKeys.MESSAGING_SYSTEM.withValue("redis"), PublishKeys.MESSAGING_OPERATION.withValue("publish"),
				PublishKeys.MESSAGING_OPERATION_TYPE.withValue("send"));
	}

}
