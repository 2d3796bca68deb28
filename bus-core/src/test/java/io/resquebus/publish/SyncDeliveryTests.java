package io.resquebus.publish;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusHandler;
import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Synchronous subscribers: run in the publisher's thread before publish returns, their exception
 * reaching the publisher, every other subscription still served through the queues, and no second
 * delivery of the sync one from its queue.
 */
class SyncDeliveryTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	/** What happened, in order: handler runs and the publisher's own steps. */
	private final List<String> sequence = new CopyOnWriteArrayList<>();

	private final AppSubscriptions subscriptions = new AppSubscriptions("app");

	@Test
	void runsASyncSubscriberInThePublishingThreadBeforePublishReturns() {
		Thread publisher = Thread.currentThread();
		subscribe("sync_one", true, (event) -> this.sequence
			.add("sync " + event.eventType() + " on publisher thread: " + (Thread.currentThread() == publisher)));
		this.sequence.add("publishing");
		template().publish("user_created", Map.of("id", 42));
		this.sequence.add("published");
		assertThat(this.sequence).containsExactly("publishing", "sync user_created on publisher thread: true",
				"published");
	}

	@Test
	void handsTheSyncSubscriberTheEventAsAWorkerWouldReadIt() {
		List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
		subscribe("sync_one", true, (event) -> received.add(event.attributes()));
		String busId = template().publish("user_created", Map.of("id", 42, "amount", 10.5f));
		assertThat(received).singleElement().satisfies((event) -> assertThat(event)
			.containsEntry(BusAttributes.ID, busId)
			.containsEntry(BusAttributes.RIDER_APP_KEY, "app")
			.containsEntry(BusAttributes.RIDER_SUB_KEY, "sync_one")
			.containsEntry(BusAttributes.RIDER_QUEUE, "app_default")
			.containsEntry(BusAttributes.CLASS_PROXY, "::QueueBus::Rider")
			.containsEntry("amount", 10.5d)
			.doesNotContainKey(BusAttributes.SYNC_DELIVERED));
	}

	@Test
	void propagatesTheSyncSubscribersExceptionAndPublishesNothing() {
		subscribe("sync_one", true, (event) -> {
			throw new IllegalStateException("sync handler refused " + event.eventType());
		});
		assertThatIllegalStateException().isThrownBy(() -> template().publish("user_created", Map.of()))
			.withMessage("sync handler refused user_created");
		assertThat(incoming()).isEmpty();
	}

	@Test
	void wrapsACheckedExceptionOfASyncSubscriber() {
		subscribe("sync_one", true, (event) -> {
			throw new IOException("disk full");
		});
		assertThatExceptionOfType(BusHandlerException.class)
			.isThrownBy(() -> template().publish("user_created", Map.of()))
			.withCauseInstanceOf(IOException.class)
			.withMessageContaining("disk full");
		assertThat(incoming()).isEmpty();
	}

	@Test
	void marksThePublishedEventWithTheSubscriptionsThatAlreadyRanJustBeforeTheProxy() {
		subscribe("async_one", false, (event) -> this.sequence.add("async"));
		subscribe("sync_one", true, (event) -> this.sequence.add("sync one"));
		subscribe("Sync.two", true, (event) -> this.sequence.add("sync two"));
		template().publish("user_created", Map.of("id", 42));
		assertThat(this.sequence).containsExactly("sync one", "sync two");
		assertThat(incoming()).singleElement().asString()
			.contains("\\\"id\\\":42,\\\"bus_sync_delivered\\\":[\\\"app:sync_one\\\",\\\"app:Sync.two\\\"],"
					+ "\\\"bus_class_proxy\\\":\\\"QueueBus::Driver\\\"}");
	}

	@Test
	void publishesAnUnmarkedEventWhenNoSyncSubscriptionMatches() {
		subscribe("sync_other", true, "order_placed", (event) -> this.sequence.add("sync"));
		template().publish("user_created", Map.of());
		assertThat(this.sequence).isEmpty();
		assertThat(this.codec.parseJob(incoming().get(0)).event()).doesNotContainKey(BusAttributes.SYNC_DELIVERED);
	}

	@Test
	void stripsAMarkerAHandlerForwardsFromAReceivedEvent() {
		Map<String, Object> forwarded = new LinkedHashMap<>();
		forwarded.put(BusAttributes.SYNC_DELIVERED, List.of("app:sync_one"));
		forwarded.put("id", 7);
		new BusTemplate(this.bus.redis(), settings()).publish("user_created", forwarded);
		assertThat(this.codec.parseJob(incoming().get(0)).event()).doesNotContainKey(BusAttributes.SYNC_DELIVERED)
			.containsEntry("id", 7);
	}

	@Test
	void rejectsAValueRubyCannotReadBeforeAnySyncSubscriberRuns() {
		subscribe("sync_one", true, (event) -> this.sequence.add("sync"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> template().publish("user_created", Map.of("when", new Object())));
		assertThat(this.sequence).isEmpty();
		assertThat(incoming()).isEmpty();
	}

	@Test
	void runsTheSyncSubscribersOfEveryEventOfABatchAndPublishesNoneWhenOneThrows() {
		subscribe("sync_one", true, (event) -> {
			this.sequence.add("sync " + event.get("n"));
			if (Integer.valueOf(3).equals(event.get("n"))) {
				throw new IllegalStateException("third refused");
			}
		});
		BusTemplate template = template();
		template.publishAll(List.of(OutgoingEvent.of("user_created", Map.of("n", 1)),
				OutgoingEvent.of("user_created", Map.of("n", 2))));
		assertThat(this.sequence).containsExactly("sync 1", "sync 2");
		assertThat(incoming()).hasSize(2)
			.allSatisfy((job) -> assertThat(job).contains("bus_sync_delivered"));
		assertThatIllegalStateException().isThrownBy(() -> template.publishAll(List.of(
				OutgoingEvent.of("user_created", Map.of("n", 3)), OutgoingEvent.of("user_created", Map.of("n", 4)))));
		assertThat(this.sequence).containsExactly("sync 1", "sync 2", "sync 3");
		assertThat(incoming()).hasSize(2);
	}

	@Test
	void runsNoSyncSubscriberForADelayedEvent() {
		subscribe("sync_one", true, (event) -> this.sequence.add("sync"));
		BusTemplate template = template();
		template.publishAt(Instant.now().plus(Duration.ofHours(1)), "user_created", Map.of());
		template.publishAt(Instant.now().minus(Duration.ofHours(1)), "user_created", Map.of());
		assertThat(this.sequence).isEmpty();
		assertThat(incoming()).singleElement().asString().doesNotContain("bus_sync_delivered");
	}

	@Test
	void deliversToEveryOtherSubscriptionThroughTheQueueAndNotAgainToTheSyncOne() {
		Thread publisher = Thread.currentThread();
		subscribe("sync_one", true, (event) -> this.sequence
			.add("sync " + event.get("n") + (Thread.currentThread() == publisher ? " in publisher" : " in worker")));
		subscribe("async_one", false, (event) -> this.sequence.add("async " + event.get("n")));
		SubscriptionRegistry registry = new SubscriptionRegistry(this.bus.redis(), this.bus.keys(), this.codec,
				Duration.ZERO, settings().clock());
		registry.subscribe("app", this.subscriptions.entries());
		DriverRunner driver = new DriverRunner(this.bus.redis(), settings(), registry, 10, Duration.ofMillis(100));
		WorkerRunner worker = new WorkerRunner(this.bus.redis(), settings(), this.subscriptions, List.of(), 10,
				Duration.ofMillis(100));
		driver.start();
		worker.start();
		try {
			template().publish("user_created", Map.of("n", 1));
			this.sequence.add("published 1");
			// Another app publishes: no sync delivery there, so the sync subscriber gets it from its queue.
			new BusTemplate(this.bus.redis(), settings()).publish("user_created", Map.of("n", 2));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.sequence.containsAll(List.of("async 1", "async 2", "sync 2 in worker")));
			await().atMost(Duration.ofSeconds(20)).until(this::allQueuesDrained);
		}
		finally {
			worker.stop();
			driver.stop();
		}
		// The worker may record "async 1" before this thread records "published 1": only the sync
		// subscriber is bound to run before publish returns.
		assertThat(this.sequence.get(0)).isEqualTo("sync 1 in publisher");
		assertThat(this.sequence).containsExactlyInAnyOrder("sync 1 in publisher", "published 1", "async 1",
				"async 2", "sync 2 in worker");
		assertThat(this.bus.get(this.bus.keys().statProcessed())).isEqualTo("5");
	}

	/** Redis drops empty lists: no queue and no in-flight list left means every job was done. */
	private boolean allQueuesDrained() {
		return this.bus.template().keys(this.bus.namespace() + ":queue:*").isEmpty()
				&& this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*").isEmpty();
	}

	private void subscribe(String key, boolean sync, BusHandler handler) {
		subscribe(key, sync, "user_created", handler);
	}

	private void subscribe(String key, boolean sync, String eventType, BusHandler handler) {
		this.subscriptions.add(new LocalSubscription(key, "default", LocalSubscription.eventType(eventType), handler,
				"test", sync));
	}

	private BusTemplate template() {
		BusSettings settings = settings();
		return new BusTemplate(settings, new QueuedTransport(this.bus.redis(), settings), Map.of(),
				this.subscriptions);
	}

	private BusSettings settings() {
		return this.bus.settings();
	}

	private List<String> incoming() {
		return this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE));
	}

}
