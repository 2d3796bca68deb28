package io.resquebus;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;

import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.RubyValues;
import org.jspecify.annotations.Nullable;

/**
 * An event as a handler receives it: every attribute in wire order, {@code bus_*} metadata
 * included, with typed accessors for the metadata.
 */
public final class BusEvent {

	private final Map<String, Object> attributes;

	public BusEvent(Map<String, Object> attributes) {
		this.attributes = Collections.unmodifiableMap(attributes);
	}

	/** All attributes, read-only, including the {@code bus_*} ones. */
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	public @Nullable Object get(String name) {
		return this.attributes.get(name);
	}

	public String eventType() {
		return string(BusAttributes.EVENT_TYPE);
	}

	/** The {@code bus_id} the publisher gave the event; the same in every subscriber's copy. */
	public String id() {
		return string(BusAttributes.ID);
	}

	public @Nullable Instant publishedAt() {
		return (this.attributes.get(BusAttributes.PUBLISHED_AT) instanceof Number seconds)
				? Instant.ofEpochSecond(seconds.longValue()) : null;
	}

	/** The host name of the publishing process. */
	public String publisherHostname() {
		return string(BusAttributes.APP_HOSTNAME);
	}

	/** The key of the subscription this copy was delivered to. */
	public String subscriptionKey() {
		return string(BusAttributes.RIDER_SUB_KEY);
	}

	private String string(String name) {
		return RubyValues.toS(this.attributes.get(name));
	}

	@Override
	public String toString() {
		return "BusEvent" + this.attributes;
	}

}
