package io.resquebus.micrometer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.resquebus.BusHandler;
import io.resquebus.BusListener;
import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.publish.BusTemplate;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.worker.WorkerRunner;

/**
 * App {@code app} on a test bus, listened to: subscription {@code good_one} takes event type
 * {@code good}, {@code bad_one} takes {@code bad} and throws; a driver and a worker run until
 * {@link #stop()}.
 */
final class BusOnRedis {

	final AppSubscriptions subscriptions = new AppSubscriptions("app");

	final BusTemplate template;

	private final DriverRunner driver;

	private final WorkerRunner worker;

	BusOnRedis(TestBus bus, BusHandler good, BusListener listener) {
		BusSettings settings = bus.settings();
		this.subscriptions.add(new LocalSubscription("good_one", "default", LocalSubscription.eventType("good"), good,
				"t"));
		this.subscriptions.add(new LocalSubscription("bad_one", "default", LocalSubscription.eventType("bad"),
				(event) -> {
					throw new IllegalStateException("handler broke");
				}, "t"));
		SubscriptionRegistry registry = new SubscriptionRegistry(bus.redis(), settings.keys(), settings.codec(),
				Duration.ZERO, Clock.systemUTC());
		registry.subscribe("app", this.subscriptions.entries());
		this.template = new BusTemplate(bus.redis(), settings);
		this.template.setListener(listener);
		this.driver = new DriverRunner(bus.redis(), settings, registry, 10, Duration.ofMillis(100));
		this.driver.setListener(listener);
		this.worker = new WorkerRunner(bus.redis(), settings, this.subscriptions, List.of(), 10,
				Duration.ofMillis(100));
		this.worker.setListener(listener);
		this.driver.start();
		this.worker.start();
	}

	void stop() {
		this.worker.stop();
		this.driver.stop();
	}

}
