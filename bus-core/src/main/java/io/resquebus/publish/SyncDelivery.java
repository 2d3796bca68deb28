package io.resquebus.publish;

import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.internal.InProcessDelivery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.Events;

/**
 * Runs the publishing app's synchronous subscribers of an event in the publisher's thread, with
 * the event as a worker would read it from Redis.
 */
final class SyncDelivery {

	private final BusSettings settings;

	private final AppSubscriptions subscriptions;

	private final InProcessDelivery delivery;

	SyncDelivery(BusSettings settings, AppSubscriptions subscriptions) {
		this.settings = settings;
		this.subscriptions = subscriptions;
		this.delivery = new InProcessDelivery(settings, subscriptions);
	}

	/**
	 * @param event the event as published
	 * @param job the same event encoded, read back so handlers see JSON types
	 * @return the ids of the subscriptions that ran, for {@code bus_sync_delivered}; empty if none
	 * matched
	 */
	List<String> deliver(Map<String, Object> event, String job) {
		if (this.subscriptions.matching(event).stream().noneMatch(LocalSubscription::sync)) {
			return List.of();
		}
		Map<String, Object> received = this.settings.codec().parseJob(job).event();
		List<LocalSubscription> ran = BusHandlerException
			.call(() -> this.delivery.deliver(received, LocalSubscription::sync));
		String appKey = this.subscriptions.appKey();
		return ran.stream().map((subscription) -> Events.syncDeliveryId(appKey, subscription.key())).toList();
	}

}
