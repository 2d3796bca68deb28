package io.resquebus.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.resquebus.BusEvent;
import io.resquebus.BusSettings;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;

/**
 * Runs this app's matching handlers in the calling thread, with the event exactly as a worker
 * would have received it from the queue (rider attributes and {@code bus_executed_at} included).
 * Serves synchronous subscriptions, the inline local mode and test support; a handler's exception
 * reaches the caller.
 */
public final class InProcessDelivery {

	private final BusSettings settings;

	private final AppSubscriptions subscriptions;

	public InProcessDelivery(BusSettings settings, AppSubscriptions subscriptions) {
		this.settings = settings;
		this.subscriptions = subscriptions;
	}

	/**
	 * Delivers a published event (its attributes as the publisher built them) to each matching
	 * subscription the filter accepts, in the order they were declared.
	 * @return the subscriptions that ran
	 */
	public List<LocalSubscription> deliver(Map<String, Object> event, Predicate<LocalSubscription> filter)
			throws Exception {
		List<LocalSubscription> matching = this.subscriptions.matching(event).stream().filter(filter).toList();
		for (LocalSubscription subscription : matching) {
			SubscriptionEntry entry = new SubscriptionEntry(this.subscriptions.queueName(subscription.queue()),
					subscription.key(), JobClasses.RIDER, subscription.matcher());
			long now = this.settings.epochSecond();
			Map<String, Object> rider = Events.rider(event, now, this.subscriptions.appKey(), entry);
			subscription.handler().handle(new BusEvent(Events.executed(rider, now)));
		}
		return matching;
	}

}
