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
		APP_KEY {
			@Override
			public String asString() {
				return "resquebus.app.key";
			}
		},

		/** The event type, bounded (see {@link EventTypeTags}). */
		EVENT_TYPE {
			@Override
			public String asString() {
				return "resquebus.event.type";
			}
		},

		/** Always {@code redis}. */
		MESSAGING_SYSTEM {
			@Override
			public String asString() {
				return "messaging.system";
			}
		},

		/** Always {@code publish}. */
		MESSAGING_OPERATION {
			@Override
			public String asString() {
				return "messaging.operation";
			}
		}

	}

	/** Low-cardinality keys of {@link #HANDLE}; always all present, {@code none} when missing. */
	public enum HandleKeys implements KeyName {

		/** The handling app's key. */
		APP_KEY {
			@Override
			public String asString() {
				return "resquebus.app.key";
			}
		},

		/** The queue the job came from. */
		QUEUE {
			@Override
			public String asString() {
				return "resquebus.queue";
			}
		},

		/** The subscription's key (sub key). */
		SUBSCRIPTION {
			@Override
			public String asString() {
				return "resquebus.subscription";
			}
		},

		/** The event type, bounded (see {@link EventTypeTags}). */
		EVENT_TYPE {
			@Override
			public String asString() {
				return "resquebus.event.type";
			}
		},

		/** Always {@code redis}. */
		MESSAGING_SYSTEM {
			@Override
			public String asString() {
				return "messaging.system";
			}
		},

		/** Always {@code process}. */
		MESSAGING_OPERATION {
			@Override
			public String asString() {
				return "messaging.operation";
			}
		}

	}

	/** High-cardinality keys of {@link #HANDLE} (spans only, never meters). */
	public enum HandleHighCardinalityKeys implements KeyName {

		/** The event's {@code bus_id}. */
		BUS_ID {
			@Override
			public String asString() {
				return "resquebus.bus.id";
			}
		}

	}

}
