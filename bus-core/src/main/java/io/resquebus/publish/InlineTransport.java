package io.resquebus.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.internal.InProcessDelivery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;

/**
 * The {@code inline} local mode: no Redis at all. Publishing runs this app's matching handlers in
 * the publishing thread, one after the other in the order they were declared, with the event as a
 * worker would read it (encoded and decoded, rider attributes added); a handler's exception stops
 * the rest and reaches the publisher. Other apps get nothing. A delayed event is delivered at once,
 * as it would look when due ({@code bus_delayed_until} tells the time it was meant for): there is
 * no scheduler to wait for.
 */
public final class InlineTransport implements EventTransport {

	private final BusSettings settings;

	private final InProcessDelivery delivery;

	public InlineTransport(BusSettings settings, AppSubscriptions subscriptions) {
		this.settings = settings;
		this.delivery = new InProcessDelivery(settings, subscriptions);
	}

	@Override
	public void send(List<String> jobs, String what) {
		List<Map<String, Object>> events = new ArrayList<>(jobs.size());
		for (String job : jobs) {
			events.add(received(job));
		}
		BusHandlerException.call(() -> {
			for (Map<String, Object> event : events) {
				this.delivery.deliver(event, (subscription) -> true);
			}
			return null;
		});
	}

	@Override
	public void schedule(long due, Map<String, Object> delayed, String what) {
		send(List.of(this.settings.codec().job(delayed)), what);
	}

	@Override
	public boolean runsLocalHandlers() {
		return true;
	}

	/** The event a driver would fan out: as published, or, for a due delayed one, published again. */
	private Map<String, Object> received(String job) {
		BusJob parsed = this.settings.codec().parseJob(job);
		Map<String, Object> event = parsed.event();
		if (!JobClasses.same(parsed.proxy(), JobClasses.PUBLISHER)) {
			return event;
		}
		long now = this.settings.epochSecond();
		String busId = event.containsKey(BusAttributes.ID) ? null : this.settings.idGenerator().nextId(now);
		return Events.republished(event, now, this.settings.hostname(), busId);
	}

}
