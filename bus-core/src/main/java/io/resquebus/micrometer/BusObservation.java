package io.resquebus.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The bus's observations: each gives a timer and, with a tracer, a span. The trace context travels
 * in the event's {@code bus_trace} attribute, so one trace spans publish, driver and handler,
 * across apps.
 */
public enum BusObservation implements ObservationDocumentation {

	/** Publishing an event (or scheduling a delayed one). */
	PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultBusPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return PublishKeys.values();
		}

	},

	/** Running a subscription's handler for one job. */
	HANDLE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultBusHandleObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return HandleKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HandleHighCardinalityKeys.values();
		}

	};

	/** Low-cardinality keys of {@link #PUBLISH}; always all present, {@code none} when missing. */
	public enum PublishKeys implements KeyName {

		/** The publishing app's key. */
		APP_KEY("resquebus.app.key"),

		/** The event type, bounded (see {@link EventTypeTags}). */
		EVENT_TYPE("resquebus.event.type"),

		/** OpenTelemetry's {@code messaging.system}: always {@code redis}. */
		MESSAGING_SYSTEM("messaging.system"),

		/** Always {@code publish} (the older OpenTelemetry name spring-kafka also uses). */
		MESSAGING_OPERATION("messaging.operation"),

		/** OpenTelemetry's {@code messaging.operation.type}: always {@code send}. */
		MESSAGING_OPERATION_TYPE("messaging.operation.type");

		private final String key;

		PublishKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** Low-cardinality keys of {@link #HANDLE}; always all present, {@code none} when missing. */
	public enum HandleKeys implements KeyName {

		/** The handling app's key. */
		APP_KEY("resquebus.app.key"),

		/** The queue the job came from. */
		QUEUE("resquebus.queue"),

		/** The subscription's key (sub key). */
		SUBSCRIPTION("resquebus.subscription"),

		/** The event type, bounded (see {@link EventTypeTags}). */
		EVENT_TYPE("resquebus.event.type"),

		/** OpenTelemetry's {@code messaging.system}: always {@code redis}. */
		MESSAGING_SYSTEM("messaging.system"),

		/** Always {@code process} (the older OpenTelemetry name spring-kafka also uses). */
		MESSAGING_OPERATION("messaging.operation"),

		/** OpenTelemetry's {@code messaging.operation.type}: always {@code process}. */
		MESSAGING_OPERATION_TYPE("messaging.operation.type"),

		/** OpenTelemetry's {@code messaging.destination.name}: the queue the job came from. */
		MESSAGING_DESTINATION_NAME("messaging.destination.name"),

		/** {@code success} or {@code failure}, as the timer without observations tags it. */
		OUTCOME("outcome");

		private final String key;

		HandleKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** High-cardinality keys of {@link #HANDLE} (spans only, never meters). */
	public enum HandleHighCardinalityKeys implements KeyName {

		/** The event's {@code bus_id}. */
		BUS_ID("resquebus.bus.id");

		private final String key;

		HandleHighCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
