package io.resquebus.micrometer;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.BusAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the event type tag's cardinality bounded: an event type this app subscribes to by name is
 * its own tag value, as are the first {@code maxOtherTypes} other types seen; any further type is
 * {@value #OTHER}, and a missing one {@value #NONE}. Event types are free text, so without a bound
 * one misbehaving publisher could make a meter per event.
 */
public final class EventTypeTags {

	/** The tag value of the event types over the limit. */
	public static final String OTHER = "other";

	/** The tag value when there is no event type. */
	public static final String NONE = "none";

	/** How many event types beyond the subscribed ones get their own tag value by default. */
	public static final int DEFAULT_MAX_OTHER_TYPES = 100;

	private final Supplier<Collection<String>> subscribedTypes;

	private final int maxOtherTypes;

	private final Map<String, Boolean> tagged = new ConcurrentHashMap<>();

	/**
	 * @param subscribedTypes the event types this app subscribes to by name, asked on a type not
	 * seen before
	 * @param maxOtherTypes how many other event types get their own tag value
	 */
	public EventTypeTags(Supplier<Collection<String>> subscribedTypes, int maxOtherTypes) {
		this.subscribedTypes = subscribedTypes;
		this.maxOtherTypes = Math.max(0, maxOtherTypes);
	}

	/** Event types subscribed to by name in {@code subscriptions}, and {@code maxOtherTypes} more. */
	public static EventTypeTags of(AppSubscriptions subscriptions, int maxOtherTypes) {
		return new EventTypeTags(() -> subscribedTypes(subscriptions), maxOtherTypes);
	}

	/** The tag value of the given event type. */
	public String tag(@Nullable String eventType) {
		if (eventType == null || eventType.isEmpty()) {
			return NONE;
		}
		if (this.tagged.containsKey(eventType)) {
			return eventType;
		}
		if (this.subscribedTypes.get().contains(eventType)) {
			this.tagged.put(eventType, Boolean.TRUE);
			return eventType;
		}
		synchronized (this) {
			long others = this.tagged.values().stream().filter((subscribed) -> !subscribed).count();
			if (others < this.maxOtherTypes) {
				this.tagged.putIfAbsent(eventType, Boolean.FALSE);
				return eventType;
			}
		}
		return OTHER;
	}

	private static Collection<String> subscribedTypes(AppSubscriptions subscriptions) {
		return subscriptions.all()
			.stream()
			.map(LocalSubscription::matcher)
			.map((matcher) -> matcher.get(BusAttributes.EVENT_TYPE))
			.filter((type) -> type != null && !type.startsWith(BusAttributes.SPECIAL_VALUE_PREFIX))
			.toList();
	}

}
