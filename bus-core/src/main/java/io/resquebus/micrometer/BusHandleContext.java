package io.resquebus.micrometer;

import java.util.Map;

import io.micrometer.observation.transport.ReceiverContext;

/**
 * The context of a {@link BusObservation#HANDLE} observation. Its carrier is the event's
 * {@code bus_trace} attribute, from which a tracer takes the publisher's span as the parent.
 */
public class BusHandleContext extends ReceiverContext<Map<String, String>> {

	private final String appKey;

	private final String queue;

	private final String subscription;

	private final String eventType;

	private final String busId;

	/**
	 * @param trace the event's {@code bus_trace} fields, empty when it has none
	 */
	public BusHandleContext(Map<String, String> trace, String appKey, String queue, String subscription,
			String eventType, String busId) {
		super((carrier, key) -> carrier.get(key));
		setCarrier(trace);
		setRemoteServiceName("redis");
		this.appKey = appKey;
		this.queue = queue;
		this.subscription = subscription;
		this.eventType = eventType;
		this.busId = busId;
	}

	public String getAppKey() {
		return this.appKey;
	}

	public String getQueue() {
		return this.queue;
	}

	public String getSubscription() {
		return this.subscription;
	}

	public String getEventType() {
		return this.eventType;
	}

	public String getBusId() {
		return this.busId;
	}

}
