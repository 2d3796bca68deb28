package io.resquebus.test;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An event a {@link RecordingBusOperations} recorded, with its values as the wire carries them
 * (what a subscriber, Java or Ruby, would read back: a {@code long} 42 reads as the integer 42).
 *
 * @param eventType the event type
 * @param busId the {@code bus_id} the publish returned
 * @param attributes the attributes the caller gave (without the {@code bus_*} metadata the bus adds)
 * @param event the whole event as the publisher pushes it, {@code bus_*} metadata included
 * @param publishedAt when the event was published, by the bus's clock
 * @param dueAt when a delayed event ({@code publishAt}, {@code publishIn}) is due, to the second as
 * the wire stores it; {@code null} for an event published now
 */
public record RecordedEvent(String eventType, String busId, Map<String, @Nullable Object> attributes,
		Map<String, @Nullable Object> event, Instant publishedAt, @Nullable Instant dueAt) {

	public RecordedEvent {
		attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
		event = Collections.unmodifiableMap(new LinkedHashMap<>(event));
	}

	/** Whether the event was published with {@code publishAt} or {@code publishIn}. */
	public boolean isScheduled() {
		return this.dueAt != null;
	}

	/** An attribute of the {@link #event() whole event}, {@code bus_*} metadata included. */
	public @Nullable Object get(String name) {
		return this.event.get(name);
	}

}
