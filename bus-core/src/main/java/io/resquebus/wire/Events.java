package io.resquebus.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Builds event attribute maps in exactly the key order queue-bus builds them (spec sections 4, 7, 8.2).
 */
public final class Events {

	private Events() {
	}

	/**
	 * The event a publish pushes: metadata first, user attributes merged over it (a metadata key
	 * is replaced in place, new keys appended), hop attributes stripped, the proxy last.
	 * @param metadata optional metadata after the hostname ({@code bus_context}, {@code bus_locale},
	 * {@code bus_timezone}), in that order
	 */
	public static Map<String, Object> published(long publishedAt, String eventType, String busId, String hostname,
			Map<String, ?> metadata, Map<String, ?> attributes, String proxy) {
		Map<String, Object> event = new LinkedHashMap<>(16 + attributes.size());
		event.put(BusAttributes.PUBLISHED_AT, publishedAt);
		event.put(BusAttributes.EVENT_TYPE, eventType);
		event.put(BusAttributes.ID, busId);
		event.put(BusAttributes.APP_HOSTNAME, hostname);
		event.putAll(metadata);
		attributes.forEach((name, value) -> {
			if (!BusAttributes.HOP_ATTRIBUTES.contains(name)) {
				event.put(name, value);
			}
		});
		event.put(BusAttributes.CLASS_PROXY, proxy);
		return event;
	}

	/**
	 * The {@code bus_id} the caller chose among the attributes (a non-empty string), which the
	 * published event keeps as queue-bus does (user attributes are merged over the metadata);
	 * {@code null} when the caller chose none and the publisher makes one.
	 */
	public static @Nullable String callerBusId(Map<String, ?> attributes) {
		return (attributes.get(BusAttributes.ID) instanceof String id && !id.isEmpty()) ? id : null;
	}

	/**
	 * A delayed event (spec 8.1): the published map without {@code bus_published_at} (unless the
	 * caller set it), {@code bus_delayed_until} appended if absent, the publisher proxy last.
	 */
	public static Map<String, Object> delayed(long delayedUntil, String eventType, String busId, String hostname,
			Map<String, ?> metadata, Map<String, ?> attributes) {
		Map<String, Object> event = published(0, eventType, busId, hostname, metadata, attributes,
				JobClasses.PUBLISHER);
		if (!attributes.containsKey(BusAttributes.PUBLISHED_AT)) {
			event.remove(BusAttributes.PUBLISHED_AT);
		}
		event.remove(BusAttributes.CLASS_PROXY);
		event.putIfAbsent(BusAttributes.DELAYED_UNTIL, delayedUntil);
		event.put(BusAttributes.CLASS_PROXY, JobClasses.PUBLISHER);
		return event;
	}

	/**
	 * The job a driver pushes for one matching subscription: rider attributes first, the incoming
	 * event merged over them (incoming values win, spec 12.2 C), the proxy replaced in place.
	 */
	public static Map<String, Object> rider(Map<String, Object> event, long drivenAt, String appKey,
			SubscriptionEntry subscription) {
		Map<String, Object> rider = new LinkedHashMap<>(8 + event.size());
		rider.put(BusAttributes.DRIVEN_AT, drivenAt);
		rider.put(BusAttributes.RIDER_QUEUE, subscription.queueName());
		rider.put(BusAttributes.RIDER_APP_KEY, appKey);
		rider.put(BusAttributes.RIDER_SUB_KEY, subscription.key());
		rider.put(BusAttributes.RIDER_CLASS_NAME, subscription.className());
		rider.putAll(event);
		rider.put(BusAttributes.CLASS_PROXY, subscription.className());
		return rider;
	}

	/**
	 * The attributes a handler receives: the rider job's event with {@code bus_executed_at} set to
	 * the second the handler runs, as queue-bus's Rider sets it (replaced in place if present, else
	 * last). A read-only view laid over the event, not a copy (the event must not change while it is
	 * in use), held in memory only: the job on Redis never carries it.
	 */
	public static Map<String, Object> executed(Map<String, Object> event, long executedAt) {
		return new ExecutedEvent(event, executedAt);
	}

	/**
	 * The published event marked with the subscriptions its publisher already ran in its own thread
	 * ({@link BusAttributes#SYNC_DELIVERED}), placed just before the proxy, which stays last.
	 * @param subscriptionIds ids as {@link #syncDeliveryId(String, String)} makes them
	 */
	public static Map<String, Object> syncDelivered(Map<String, Object> event, List<String> subscriptionIds) {
		Map<String, Object> marked = new LinkedHashMap<>(event);
		Object proxy = marked.remove(BusAttributes.CLASS_PROXY);
		marked.put(BusAttributes.SYNC_DELIVERED, List.copyOf(subscriptionIds));
		if (proxy != null) {
			marked.put(BusAttributes.CLASS_PROXY, proxy);
		}
		return marked;
	}

	/** How {@link BusAttributes#SYNC_DELIVERED} names a subscription: {@code <app_key>:<sub_key>}. */
	public static String syncDeliveryId(String appKey, String subKey) {
		return appKey + ":" + subKey;
	}

	/**
	 * Whether the event says its publisher already ran the subscription in its own thread, so a
	 * driver or worker must not deliver it again. A malformed marker marks nothing.
	 */
	public static boolean isSyncDelivered(Map<String, ?> event, String appKey, String subKey) {
		if (!(event.get(BusAttributes.SYNC_DELIVERED) instanceof List<?> delivered)) {
			return false;
		}
		String id = syncDeliveryId(appKey, subKey);
		for (Object entry : delivered) {
			if (entry instanceof String text && text.equals(id)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A due delayed event published again (spec 8.2): a fresh {@code bus_published_at} first, then
	 * metadata the event lacked, then the event as it was, with the driver proxy.
	 */
	public static Map<String, Object> republished(Map<String, Object> delayed, long now, String hostname,
			@Nullable String busId) {
		Map<String, Object> event = new LinkedHashMap<>(8 + delayed.size());
		event.put(BusAttributes.PUBLISHED_AT, now);
		putDefault(event, delayed, BusAttributes.EVENT_TYPE, null);
		putDefault(event, delayed, BusAttributes.ID, busId);
		putDefault(event, delayed, BusAttributes.APP_HOSTNAME, hostname);
		delayed.forEach((name, value) -> {
			if (!BusAttributes.PUBLISHED_AT.equals(name)) {
				event.put(name, value);
			}
		});
		event.put(BusAttributes.CLASS_PROXY, JobClasses.DRIVER);
		return event;
	}

	private static void putDefault(Map<String, Object> event, Map<String, Object> delayed, String name,
			@Nullable Object fallback) {
		if (delayed.containsKey(name)) {
			event.put(name, delayed.get(name));
		}
		else if (fallback != null) {
			event.put(name, fallback);
		}
	}

}
