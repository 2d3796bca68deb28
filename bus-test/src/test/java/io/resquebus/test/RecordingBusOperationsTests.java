package io.resquebus.test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import io.resquebus.BusSettings;
import io.resquebus.internal.InProcessDelivery;
import io.resquebus.publish.EventType;
import io.resquebus.publish.OutgoingEvent;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * What the recording bus records and how it delivers recorded events to the app's handlers.
 */
class RecordingBusOperationsTests {

	static final Instant NOW = Instant.parse("2026-03-01T10:00:00.250Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final AtomicInteger ids = new AtomicInteger();

	private final BusSettings settings = new BusSettings(new BusKeys("resque"), new WireCodec(), "test-host",
			this.clock, (epochSecond) -> epochSecond + "-id" + this.ids.incrementAndGet());

	private final AppSubscriptions subscriptions = new AppSubscriptions("app_a");

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void recordsTypeAttributesMetadataAndBusIdOfEveryPublishedEvent() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		String busId = bus.publish("user_created", Map.of("id", 42));
		bus.publish("user_paid", Map.of("amount", 10.5));
		assertThat(busId).isEqualTo(NOW.getEpochSecond() + "-id1");
		assertThat(bus.events()).extracting(RecordedEvent::eventType).containsExactly("user_created", "user_paid");
		RecordedEvent event = bus.events().get(0);
		assertThat(event.busId()).isEqualTo(busId);
		assertThat(event.attributes()).containsExactly(entry("id", 42));
		assertThat(event.publishedAt()).isEqualTo(NOW);
		assertThat(event.dueAt()).isNull();
		assertThat(event.event()).containsExactly(entry("bus_published_at", (int) NOW.getEpochSecond()),
				entry("bus_event_type", "user_created"), entry("bus_id", busId), entry("bus_app_hostname", "test-host"),
				entry("id", 42), entry("bus_class_proxy", "QueueBus::Driver"));
	}

	@Test
	void recordsValuesAsTheWireCarriesThem() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("long", 42L);
		attributes.put("float", 1.5f);
		attributes.put("list", List.of(1L, "two"));
		attributes.put("nothing", null);
		attributes.put("bus_rider_queue", "stripped like the publisher strips it");
		bus.publish("typed", attributes);
		assertThat(bus.events().get(0).attributes()).containsExactly(entry("long", 42), entry("float", 1.5),
				entry("list", List.of(1, "two")), entry("nothing", null));
	}

	@Test
	void refusesAValueRubyCannotReadBackAndRecordsNothing() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		assertThatIllegalArgumentException().isThrownBy(() -> bus.publish("bad", Map.of("when", Instant.EPOCH)));
		assertThatIllegalArgumentException().isThrownBy(() -> bus.publish("", Map.of()));
		assertThat(bus.events()).isEmpty();
	}

	@Test
	void recordsAsynchronousPublishesBeforeTheirFutureCompletesAndFailsThemAsPublishThrows() throws Exception {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		String busId = bus.publishAsync("user_created", Map.of("id", 42)).get(1, TimeUnit.SECONDS);
		String objectId = bus.publishAsync(new Signup(7, "Jane")).get(1, TimeUnit.SECONDS);
		assertThat(bus.events()).extracting(RecordedEvent::busId).containsExactly(busId, objectId);
		assertThat(bus.publishAsync("bad", Map.of("when", Instant.EPOCH)))
			.failsWithin(Duration.ofSeconds(1))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(IllegalArgumentException.class);
		assertThat(bus.events()).hasSize(2);
	}

	@Test
	void recordsObjectsThroughTheBusMapperTypedByAnnotationOrClassName() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		bus.publish(new Signup(7, "Jane"));
		bus.publish(new UserRenamed(7, "Joan"));
		assertThat(bus.events()).extracting(RecordedEvent::eventType).containsExactly("user_signed_up", "user_renamed");
		assertThat(bus.events().get(0).attributes()).containsExactly(entry("id", 7), entry("name", "Jane"));
	}

	@Test
	void publishAllRecordsEveryEventOrNone() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		List<String> busIds = bus.publishAll(List.of(OutgoingEvent.of("a", Map.of()), new Signup(1, "x")));
		assertThat(bus.events()).extracting(RecordedEvent::busId).containsExactlyElementsOf(busIds);
		bus.clear();
		assertThatIllegalArgumentException().isThrownBy(() -> bus
			.publishAll(List.of(OutgoingEvent.of("a", Map.of()), OutgoingEvent.of("b", Map.of("x", new Object())))));
		assertThat(bus.events()).isEmpty();
	}

	@Test
	void recordsWhenDelayedEventsAreDueToTheSecond() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		bus.publishIn(Duration.ofMinutes(5), "reminder", Map.of("id", 1));
		bus.publishAt(Instant.parse("2026-03-02T00:00:00.900Z"), "report", Map.of());
		RecordedEvent reminder = bus.events().get(0);
		assertThat(reminder.isScheduled()).isTrue();
		assertThat(reminder.dueAt()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
		assertThat(reminder.event()).containsEntry("bus_delayed_until", (int) reminder.dueAt().getEpochSecond())
			.containsEntry("bus_class_proxy", "QueueBus::Publisher")
			.doesNotContainKey("bus_published_at");
		assertThat(bus.events().get(1).dueAt()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
	}

	@Test
	void clearForgetsEveryEvent() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings, delivery(), false);
		bus.publish("a", Map.of());
		bus.clear();
		assertThat(bus.events()).isEmpty();
		assertThat(bus.undelivered()).isEmpty();
	}

	@Test
	void recordsEveryEventPublishedFromManyThreads() throws Exception {
		RecordingBusOperations bus = new RecordingBusOperations(BusSettings.defaults());
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int thread = 0; thread < 8; thread++) {
				int t = thread;
				futures.add(executor.submit(() -> {
					for (int i = 0; i < 250; i++) {
						bus.publish("e", Map.of("t", t, "i", i));
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(bus.events()).hasSize(2000);
		assertThat(new HashSet<>(bus.events().stream().map(RecordedEvent::busId).toList())).hasSize(2000);
	}

	@Test
	void deliversRecordedEventsToMatchingHandlersOnlyWhenAsked() {
		subscribe("user_created", "created");
		subscribe("user_paid", "paid");
		RecordingBusOperations bus = new RecordingBusOperations(this.settings, delivery(), false);
		String busId = bus.publish("user_created", Map.of("id", 42));
		assertThat(this.handled).isEmpty();
		assertThat(bus.deliverAll()).extracting(RecordedEvent::busId).containsExactly(busId);
		assertThat(this.handled).containsExactly("created:" + busId);
		assertThat(bus.deliverAll()).isEmpty();
		assertThat(this.handled).hasSize(1);
	}

	@Test
	void deliversTheEventAsAWorkerWouldReceiveIt() {
		AtomicReference<BusEvent> received = new AtomicReference<>();
		this.subscriptions.add(new LocalSubscription("Handlers.created", "default",
				LocalSubscription.eventType("user_created"), received::set, "test"));
		RecordingBusOperations bus = new RecordingBusOperations(this.settings, delivery(), false);
		String busId = bus.publish("user_created", Map.of("id", 42L));
		bus.deliverAll();
		assertThat(received.get().id()).isEqualTo(busId);
		assertThat(received.get().eventType()).isEqualTo("user_created");
		assertThat(received.get().subscriptionKey()).isEqualTo("Handlers.created");
		assertThat(received.get().attributes()).containsEntry("id", 42)
			.containsEntry("bus_rider_app_key", "app_a")
			.containsEntry("bus_rider_queue", "app_a_default");
	}

	@Test
	void deliversEventsHandlersPublishWhileDelivering() {
		RecordingBusOperations[] bus = new RecordingBusOperations[1];
		this.subscriptions.add(new LocalSubscription("chain", "default", LocalSubscription.eventType("first"),
				(event) -> bus[0].publish("second", Map.of()), "test"));
		subscribe("second", "second");
		bus[0] = new RecordingBusOperations(this.settings, delivery(), false);
		bus[0].publish("first", Map.of());
		assertThat(bus[0].deliverAll()).extracting(RecordedEvent::eventType).containsExactly("first", "second");
		assertThat(this.handled).hasSize(1).allMatch((entry) -> entry.startsWith("second:"));
	}

	@Test
	void deliversEachDelayedEventOnceWhenDueOrWhenAllAreDelivered() {
		subscribe("reminder", "reminder");
		RecordingBusOperations bus = new RecordingBusOperations(this.settings, delivery(), true);
		String soon = bus.publishIn(Duration.ofMinutes(1), "reminder", Map.of());
		String later = bus.publishIn(Duration.ofHours(1), "reminder", Map.of());
		assertThat(this.handled).isEmpty();
		assertThat(bus.deliverDue()).isEmpty();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(bus.deliverDue()).extracting(RecordedEvent::busId).containsExactly(soon);
		assertThat(bus.deliverAll()).extracting(RecordedEvent::busId).containsExactly(later);
		assertThat(this.handled).containsExactly("reminder:" + soon, "reminder:" + later);
	}

	@Test
	void deliversAtPublishWhenAskedAndHandlerExceptionsReachThePublisher() {
		this.subscriptions.add(new LocalSubscription("failing", "default", LocalSubscription.eventType("bad"),
				(event) -> {
					throw new IllegalStateException("handler failed");
				}, "test"));
		subscribe("good", "good");
		RecordingBusOperations bus = new RecordingBusOperations(this.settings, delivery(), true);
		String busId = bus.publish("good", Map.of());
		assertThat(this.handled).containsExactly("good:" + busId);
		assertThatIllegalStateException().isThrownBy(() -> bus.publish("bad", Map.of()))
			.withMessage("handler failed");
		assertThat(bus.events()).extracting(RecordedEvent::eventType).containsExactly("good", "bad");
		assertThat(bus.undelivered()).isEmpty();
	}

	@Test
	void wrapsCheckedHandlerExceptionsNamingTheEvent() {
		this.subscriptions.add(new LocalSubscription("failing", "default", LocalSubscription.eventType("bad"),
				(event) -> {
					throw new IOException("disk full");
				}, "test"));
		RecordingBusOperations bus = new RecordingBusOperations(this.settings, delivery(), false);
		String busId = bus.publish("bad", Map.of());
		assertThatExceptionOfType(DeliveryFailedException.class).isThrownBy(bus::deliverAll)
			.withMessageContaining("'bad' (bus_id " + busId + ")")
			.withMessageContaining("disk full")
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void refusesToDeliverWithoutHandlers() {
		RecordingBusOperations bus = new RecordingBusOperations(this.settings);
		bus.publish("a", Map.of());
		assertThatIllegalStateException().isThrownBy(bus::deliverAll).withMessageContaining("InProcessDelivery");
	}

	private void subscribe(String eventType, String name) {
		BusHandler handler = (event) -> this.handled.add(name + ":" + event.id());
		this.subscriptions.add(new LocalSubscription(name, "default", LocalSubscription.eventType(eventType), handler,
				"test"));
	}

	private InProcessDelivery delivery() {
		return new InProcessDelivery(this.settings, this.subscriptions);
	}

	@EventType("user_signed_up")
	record Signup(int id, String name) {
	}

	record UserRenamed(int id, String name) {
	}

	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
