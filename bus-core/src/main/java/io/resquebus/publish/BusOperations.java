package io.resquebus.publish;

import java.util.Map;

/**
 * Publishing events onto the bus. Implemented by {@link BusTemplate}; test support provides a
 * recording implementation.
 */
public interface BusOperations {

	/**
	 * Publishes an event: every app subscribed to it gets its own copy on its own queue, later.
	 * @param eventType the event type, e.g. {@code user_created}
	 * @param attributes the event's attributes; values must be JSON types (strings, numbers,
	 * booleans, null, lists and maps of them) so that Ruby apps can read them
	 * @return the event's {@code bus_id}
	 * @throws BusPublishException if Redis did not take the event
	 */
	String publish(String eventType, Map<String, ?> attributes);

}
