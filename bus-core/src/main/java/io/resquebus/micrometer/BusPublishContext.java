package io.resquebus.micrometer;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

/**
 * The context of a {@link BusObservation#PUBLISH} observation. Its carrier collects the
 * propagation fields a tracer writes (such as {@code traceparent}); they become the event's
 * {@code bus_trace} attribute.
 */
public class BusPublishContext extends SenderContext<Map<String, String>> {

	private final String appKey;

	private final String eventType;

	/**
	 * @param appKey the publishing app's key, or {@code none}
	 * @param eventType the event type tag value (bounded)
	 */
	public BusPublishContext(String appKey, String eventType) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		setCarrier(new LinkedHashMap<>());
		setRemoteServiceName("redis");
		this.appKey = appKey;
		this.eventType = eventType;
	}

	public String getAppKey() {
		return this.appKey;
	}

	public String getEventType() {
		return this.eventType;
	}

}
