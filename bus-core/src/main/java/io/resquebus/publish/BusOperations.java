package io.resquebus.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.wire.BusAttributes;

/**
 * Publishing events onto the bus. Implemented by {@link BusTemplate}; test support provides a
 * recording implementation.
 * <p>
 * Every publish waits for Redis at most the publish timeout of its transport (default 2 s), then
 * fails with a {@link BusPublishTimeoutException}: an outage never holds the calling thread longer.
 */
public interface BusOperations {

	/**
	 * Publishes an event: every app subscribed to it gets its own copy on its own queue, later. A
	 * {@code bus_id} among the attributes (a non-empty string) is kept, as queue-bus keeps it; see
	 * {@link #publish(String, Map, String)}.
	 * @param eventType the event type, e.g. {@code user_created}
	 * @param attributes the event's attributes; values must be JSON types (strings, numbers,
	 * booleans, null, lists and maps of them) so that Ruby apps can read them
	 * @return the event's {@code bus_id}
	 * @throws BusPublishException if Redis did not take the event
	 * @throws BusPublishTimeoutException if Redis did not answer within the publish timeout; the
	 * event may or may not have been published
	 * @throws IllegalArgumentException if an attribute value is of a type Ruby cannot read back
	 */
	String publish(String eventType, Map<String, ?> attributes);

	/**
	 * Publishes an event under a {@code bus_id} of the caller's, so that publishing it again
	 * (after a {@link BusPublishTimeoutException}, whose {@link BusPublishTimeoutException#busId()}
	 * names the id tried) yields the same {@code bus_id} downstream rather than a second event:
	 * subscribers that remember the ids they handled drop the repeat. As in queue-bus, the id
	 * travels as the {@code bus_id} attribute, merged over the generated one.
	 * @param busId the id, any non-empty string ({@code <epoch>-<uuid>} like generated ones is
	 * what Ruby apps expect)
	 * @return {@code busId}
	 * @throws IllegalArgumentException if {@code busId} is empty or the attributes carry another
	 */
	default String publish(String eventType, Map<String, ?> attributes, String busId) {
		if (busId.isEmpty()) {
			throw new IllegalArgumentException("bus_id must not be empty");
		}
		Object given = attributes.get(BusAttributes.ID);
		if (given != null && !busId.equals(given)) {
			throw new IllegalArgumentException("Attributes carry bus_id " + given + ", not " + busId);
		}
		Map<String, Object> withId = new LinkedHashMap<>(attributes);
		withId.put(BusAttributes.ID, busId);
		publish(eventType, withId);
		return busId;
	}

	/**
	 * Publishes an object as an event: its properties become the attributes (through the bus's
	 * own JSON mapper) and its event type comes from {@link EventType @EventType} on its class,
	 * or, absent that, the class's simple name in snake case ({@code UserCreated} becomes
	 * {@code user_created}). An {@link OutgoingEvent} is published as it is.
	 * @return the event's {@code bus_id}
	 */
	String publish(Object event);

	/**
	 * Publishes many events in one round trip to Redis; all or none are taken.
	 * @param events {@link OutgoingEvent}s or objects as {@link #publish(Object)} takes them
	 * @return the {@code bus_id}s, in order
	 */
	List<String> publishAll(Collection<?> events);

	/**
	 * Publishes an event when it is due, in resque-scheduler's delayed layout, so a Ruby
	 * scheduler on the same Redis would deliver it too. An instant not in the future publishes now.
	 * @return the event's {@code bus_id}
	 */
	String publishAt(Instant when, String eventType, Map<String, ?> attributes);

	/**
	 * Publishes an event after a delay; see {@link #publishAt(Instant, String, Map)}.
	 * @return the event's {@code bus_id}
	 */
	String publishIn(Duration delay, String eventType, Map<String, ?> attributes);

}
