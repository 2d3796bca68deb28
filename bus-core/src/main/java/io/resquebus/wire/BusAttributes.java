package io.resquebus.wire;

import java.util.Set;

/**
 * Names of the {@code bus_*} event attributes (spec section 4).
 */
public final class BusAttributes {

	public static final String PUBLISHED_AT = "bus_published_at";

	public static final String EVENT_TYPE = "bus_event_type";

	public static final String ID = "bus_id";

	public static final String APP_HOSTNAME = "bus_app_hostname";

	public static final String CONTEXT = "bus_context";

	public static final String LOCALE = "bus_locale";

	public static final String TIMEZONE = "bus_timezone";

	public static final String DELAYED_UNTIL = "bus_delayed_until";

	public static final String CLASS_PROXY = "bus_class_proxy";

	public static final String DRIVEN_AT = "bus_driven_at";

	public static final String RIDER_QUEUE = "bus_rider_queue";

	public static final String RIDER_APP_KEY = "bus_rider_app_key";

	public static final String RIDER_SUB_KEY = "bus_rider_sub_key";

	public static final String RIDER_CLASS_NAME = "bus_rider_class_name";

	public static final String EXECUTED_AT = "bus_executed_at";

	/**
	 * Java only: the subscriptions ({@code <app_key>:<sub_key>}, a JSON array) whose handler the
	 * publisher already ran in its own thread (synchronous subscribers). Drivers and workers skip
	 * them; Ruby passes the attribute through untouched, like any other.
	 */
	public static final String SYNC_DELIVERED = "bus_sync_delivered";

	/**
	 * Java only: the trace context of the publish (a JSON object of propagation fields, such as
	 * W3C {@code traceparent}), so that the handler's trace continues the publisher's. Ruby passes
	 * it through untouched. A publisher strips it from user attributes and writes its own.
	 */
	public static final String TRACE = "bus_trace";

	/** Prefix of the matcher values with a special meaning (present, blank, nil, ...). */
	public static final String SPECIAL_VALUE_PREFIX = "bus_special_value_";

	/**
	 * Set by drivers, riders and a publisher's sync delivery for one hop; a publisher strips them
	 * from user attributes, so a handler forwarding what it received publishes a fresh event.
	 */
	public static final Set<String> HOP_ATTRIBUTES = Set.of(DRIVEN_AT, RIDER_QUEUE, RIDER_APP_KEY, RIDER_SUB_KEY,
			RIDER_CLASS_NAME, EXECUTED_AT, CLASS_PROXY, SYNC_DELIVERED, TRACE);

	private BusAttributes() {
	}

}
