package io.resquebus.subscription;

import io.resquebus.wire.SubscriptionEntry;

/**
 * A subscription of some app as read from the registry, with its matcher compiled.
 *
 * @param appKey the app the subscription belongs to
 * @param entry the subscription as stored
 * @param matcher the compiled matcher
 */
public record Subscription(String appKey, SubscriptionEntry entry, EventMatcher matcher) {

	public static Subscription of(String appKey, SubscriptionEntry entry) {
		return new Subscription(appKey, entry, EventMatcher.compile(entry.matcher()));
	}

	public String key() {
		return this.entry.key();
	}

	public String queueName() {
		return this.entry.queueName();
	}

}
