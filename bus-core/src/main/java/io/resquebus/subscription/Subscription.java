package io.resquebus.subscription;

import io.resquebus.wire.RiderMembers;
import io.resquebus.wire.SubscriptionEntry;

/**
 * A subscription of some app as read from the registry, with its matcher compiled.
 *
 * @param appKey the app the subscription belongs to
 * @param entry the subscription as stored
 * @param matcher the compiled matcher
 * @param rider what each of its rider jobs holds besides the event, written once
 */
public record Subscription(String appKey, SubscriptionEntry entry, EventMatcher matcher, RiderMembers rider) {

	public Subscription {
		if (!rider.appKey().equals(appKey) || !rider.subscription().equals(entry)) {
			throw new IllegalArgumentException("Rider members of " + rider.appKey() + " do not belong to " + appKey);
		}
	}

	public Subscription(String appKey, SubscriptionEntry entry, EventMatcher matcher) {
		this(appKey, entry, matcher, RiderMembers.of(appKey, entry));
	}

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
