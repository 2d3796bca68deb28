package io.resquebus.publish;

import java.util.Map;

/**
 * An event to publish: its type and attributes.
 *
 * @param eventType the event type, e.g. {@code user_created}
 * @param attributes the attributes, JSON types only
 */
public record OutgoingEvent(String eventType, Map<String, ?> attributes) {

	public static OutgoingEvent of(String eventType, Map<String, ?> attributes) {
		return new OutgoingEvent(eventType, attributes);
	}

}
