package io.resquebus.subscription;

import java.util.List;

import io.resquebus.BusException;

/**
 * Subscriptions are declared but the application has no app key, so the bus cannot tell which
 * queues are its own.
 */
public class MissingAppKeyException extends BusException {

	private final List<String> sources;

	public MissingAppKeyException(List<LocalSubscription> subscriptions) {
		super("An app key is required because " + subscriptions.size() + " subscription(s) are declared"
				+ (subscriptions.isEmpty() ? "" : " (for example " + subscriptions.get(0).source() + ")"));
		this.sources = subscriptions.stream().map(LocalSubscription::source).toList();
	}

	/** Where the subscriptions were declared. */
	public List<String> sources() {
		return this.sources;
	}

}
