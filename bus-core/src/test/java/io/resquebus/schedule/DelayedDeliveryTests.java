package io.resquebus.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.publish.BusTemplate;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A delayed event on the real clock, through every runner: scheduler, driver (the publisher step,
 * then the fan-out) and worker.
 */
class DelayedDeliveryTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final List<Handled> handled = new CopyOnWriteArrayList<>();

	@Test
	void deliversADelayedEventNoEarlierThanItsDueSecond() {
		BusSettings settings = this.bus.settings();
		AppSubscriptions subscriptions = new AppSubscriptions("delay_app");
		subscriptions.add(new LocalSubscription("on_reminder", LocalSubscription.DEFAULT_QUEUE,
				LocalSubscription.eventType("reminder"),
				(event) -> this.handled.add(new Handled(System.currentTimeMillis() / 1000, event)), "test"));
		SubscriptionRegistry registry = new SubscriptionRegistry(this.bus.redis(), settings.keys(), settings.codec(),
				Duration.ZERO, settings.clock());
		registry.subscribe(subscriptions.appKey(), subscriptions.entries());
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), settings, Duration.ofMillis(200), 100);
		DriverRunner driver = new DriverRunner(this.bus.redis(), settings, registry, 10, Duration.ofMillis(100));
		WorkerRunner worker = new WorkerRunner(this.bus.redis(), settings, subscriptions, List.of(), 10,
				Duration.ofMillis(100));
		scheduler.start();
		driver.start();
		worker.start();
		try {
			long publishedAt = System.currentTimeMillis() / 1000;
			String busId = new BusTemplate(this.bus.redis(), settings).publishIn(Duration.ofSeconds(2), "reminder",
					Map.of("id", 7));
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.handled.isEmpty());
			Handled delivery = this.handled.get(0);
			long due = ((Number) delivery.event().get(BusAttributes.DELAYED_UNTIL)).longValue();
			assertThat(due).isGreaterThanOrEqualTo(publishedAt + 2);
			assertThat(delivery.epochSecond()).isGreaterThanOrEqualTo(due);
			assertThat(delivery.event().id()).isEqualTo(busId);
			assertThat(delivery.event().get("id")).isEqualTo(7);
			assertThat(((Number) delivery.event().get(BusAttributes.PUBLISHED_AT)).longValue())
				.isGreaterThanOrEqualTo(due);
		}
		finally {
			worker.stop();
			driver.stop();
			scheduler.stop();
		}
		assertThat(this.handled).hasSize(1);
	}

	private record Handled(long epochSecond, BusEvent event) {
	}

}
