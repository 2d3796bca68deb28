package io.resquebus.publish;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns what a caller publishes into an event type and attributes: an {@link OutgoingEvent} as it
 * is, any other object through the bus's JSON mapper, typed by {@link EventType} or its class name.
 * Public so that other {@link BusOperations} (test support) read objects exactly as {@link BusTemplate} does.
 */
public final class EventConverter {

	private final JsonMapper mapper;

	/**
	 * @param mapper the bus's own JSON mapper ({@code BusSettings.codec().mapper()})
	 */
	public EventConverter(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The event type and attributes of what {@link BusOperations#publish(Object)} was given.
	 * @throws IllegalArgumentException if the object has no event type or is no JSON object
	 */
	public OutgoingEvent toOutgoing(Object event) {
		if (event instanceof OutgoingEvent outgoing) {
			return outgoing;
		}
		if (event instanceof Map<?, ?> || event instanceof CharSequence || event instanceof Number
				|| event instanceof Iterable<?>) {
			throw new IllegalArgumentException("Cannot tell the event type of a " + event.getClass().getName()
					+ ": publish(eventType, attributes) or an OutgoingEvent says it");
		}
		return new OutgoingEvent(eventType(event.getClass()), attributes(event));
	}

	private Map<String, Object> attributes(Object event) {
		try {
			@SuppressWarnings("unchecked")
			Map<String, Object> attributes = this.mapper.convertValue(event, LinkedHashMap.class);
			return attributes;
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("Cannot turn " + event.getClass().getName()
					+ " into event attributes (a JSON object): " + ex.getMessage(), ex);
		}
	}

	/** {@link EventType} on the class, else its simple name in snake case. */
	static String eventType(Class<?> type) {
		EventType annotation = type.getAnnotation(EventType.class);
		if (annotation != null) {
			return annotation.value();
		}
		String name = type.getSimpleName();
		StringBuilder snake = new StringBuilder(name.length() + 4);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isUpperCase(c)) {
				boolean boundary = i > 0 && (Character.isLowerCase(name.charAt(i - 1))
						|| (i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))));
				if (boundary) {
					snake.append('_');
				}
				snake.append(Character.toLowerCase(c));
			}
			else {
				snake.append(c);
			}
		}
		return snake.toString();
	}

}
