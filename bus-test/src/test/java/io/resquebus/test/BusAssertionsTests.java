package io.resquebus.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusOperations;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static io.resquebus.test.BusAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The assertions pass when they should and fail, with messages listing what was published, when
 * they should not.
 */
class BusAssertionsTests {

	static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

	private final AtomicInteger ids = new AtomicInteger();

	private final RecordingBusOperations bus = new RecordingBusOperations(new BusSettings(new BusKeys("resque"),
			new WireCodec(), "test-host", Clock.fixed(NOW, ZoneOffset.UTC), (second) -> "id" + this.ids.incrementAndGet()));

	@Test
	void passesForAPublishedEventWithItsAttributes() {
		this.bus.publish("user_created", Map.of("id", 42, "name", "John"));
		this.bus.publish("user_created", Map.of("id", 7, "name", "Jane"));
		assertThat(this.bus).published("user_created").withAttribute("id", 42).withAttribute("name", "John");
		assertThat(this.bus).published("user_created", 2)
			.withAttribute("id", 7L)
			.withAttributes(Map.of("name", "Jane"))
			.withAttributesExactly(Map.of("id", 7, "name", "Jane"))
			.withAttribute("bus_event_type", "user_created")
			.withoutAttribute("email")
			.notScheduled()
			.satisfies((event) -> assertThat(event.busId()).isEqualTo("id2"));
		assertThat(this.bus).didNotPublish("user_deleted");
	}

	@Test
	void passesForNothingPublishedOnlyWhenNothingWas() {
		assertThat(this.bus).publishedNothing();
		this.bus.publish("user_created", Map.of("id", 42));
		assertFails(() -> assertThat(this.bus).publishedNothing(), """
				Expecting no event to have been published, but found 1 event:
				  - user_created {"id":42}""");
	}

	@Test
	void failsForAnEventTypeNotPublishedListingWhatWas() {
		this.bus.publish("user_created", Map.of("id", 42));
		this.bus.publish("user_paid", Map.of("amount", 10.5));
		assertFails(() -> assertThat(this.bus).published("user_deleted"), """
				Expecting an event "user_deleted" to have been published, but none was.
				Published events (2):
				  - user_created {"id":42}
				  - user_paid {"amount":10.5}""");
	}

	@Test
	void failsForAnEventTypeWhenNothingWasPublished() {
		assertFails(() -> assertThat(this.bus).published("user_deleted"), """
				Expecting an event "user_deleted" to have been published, but none was.
				No event was published.""");
	}

	@Test
	void failsForTheWrongNumberOfEvents() {
		this.bus.publish("user_created", Map.of("id", 1));
		assertFails(() -> assertThat(this.bus).published("user_created", 2), """
				Expecting 2 "user_created" events to have been published, but found 1.
				Published events (1):
				  - user_created {"id":1}""");
	}

	@Test
	void failsForAnEventThatShouldNotHaveBeenPublished() {
		this.bus.publish("user_deleted", Map.of("id", 1));
		assertFails(() -> assertThat(this.bus).didNotPublish("user_deleted"), """
				Expecting no "user_deleted" event to have been published, but found 1 event:
				  - user_deleted {"id":1}""");
	}

	@Test
	void failsForAnAttributeValueShowingTheTypesAsJson() {
		this.bus.publish("user_created", Map.of("id", "42"));
		assertFails(() -> assertThat(this.bus).published("user_created").withAttribute("id", 42), """
				Expecting a published "user_created" event with "id" = 42, but there is none.
				"user_created" events (1):
				  - user_created {"id":"42"}""");
	}

	@Test
	void requiresChainedChecksToHoldForOneEvent() {
		this.bus.publish("user_created", ordered("id", 42, "name", "John"));
		this.bus.publish("user_created", ordered("id", 7, "name", "Jane"));
		assertFails(() -> assertThat(this.bus).published("user_created").withAttribute("id", 42)
			.withAttribute("name", "Jane"), """
				Expecting a published "user_created" event with "id" = 42, with "name" = "Jane", but there is none.
				"user_created" events with "id" = 42 (1):
				  - user_created {"id":42,"name":"John"}""");
	}

	@Test
	void failsForMissingOrExtraAttributes() {
		this.bus.publish("user_created", Map.of("id", 42));
		assertFails(() -> assertThat(this.bus).published("user_created").withAttributes(ordered("id", 42, "name", "x")),
				"""
						Expecting a published "user_created" event with {"id":42,"name":"x"}, but there is none.""");
		assertFails(() -> assertThat(this.bus).published("user_created").withAttributesExactly(Map.of()),
				"Expecting a published \"user_created\" event with exactly the attributes {}, but there is none.");
		assertFails(() -> assertThat(this.bus).published("user_created").withoutAttribute("id"),
				"Expecting a published \"user_created\" event without \"id\", but there is none.");
	}

	@Test
	void failsForUnsatisfiedRequirementsShowingWhyForEachEvent() {
		this.bus.publish("user_created", Map.of("id", 42));
		assertFails(() -> assertThat(this.bus).published("user_created")
			.satisfies((event) -> assertThat(event.attributes()).containsKey("email")), """
				Expecting a published "user_created" event satisfying the given requirements, but there is none.
				"user_created" events (1):
				  - user_created {"id":42}
				      Expecting actual:""");
	}

	@Test
	void passesAndFailsOnWhenDelayedEventsAreDue() {
		this.bus.publishIn(Duration.ofMinutes(5), "reminder", Map.of("id", 1));
		assertThat(this.bus).published("reminder")
			.scheduled()
			.scheduledIn(Duration.ofMinutes(5))
			.scheduledAt(Instant.parse("2026-03-01T10:05:00.700Z"));
		assertFails(() -> assertThat(this.bus).published("reminder").scheduledIn(Duration.ofMinutes(10)), """
				Expecting a published "reminder" event scheduled PT10M after publishing, but there is none.
				"reminder" events (1):
				  - reminder {"id":1} scheduled at 2026-03-01T10:05:00Z (PT5M after publishing)""");
		assertFails(() -> assertThat(this.bus).published("reminder").notScheduled(),
				"Expecting a published \"reminder\" event not scheduled, but there is none.");
		this.bus.publish("now", Map.of());
		assertFails(() -> assertThat(this.bus).published("now").scheduledAt(NOW),
				"Expecting a published \"now\" event scheduled at 2026-03-01T10:00:00Z, but there is none.");
	}

	@Test
	void keepsTheDescriptionOfTheAssertion() {
		assertFails(() -> assertThat(this.bus).as("signup").published("user_created"), "[signup] Expecting an event");
		this.bus.publish("user_created", Map.of());
		assertFails(() -> assertThat(this.bus).as("signup").published("user_created").withAttribute("id", 1),
				"[signup] Expecting a published");
	}

	@Test
	void refusesABusThatDoesNotRecord() {
		BusOperations notRecording = (BusOperations) java.lang.reflect.Proxy.newProxyInstance(
				getClass().getClassLoader(), new Class<?>[] { BusOperations.class }, (proxy, method, args) -> null);
		assertFails(() -> assertThat(notRecording), "Expecting a RecordingBusOperations");
		BusOperations recording = this.bus;
		assertThat(recording).publishedNothing();
	}

	@Test
	void comparesExpectedValuesAsTheWireCarriesThem() {
		this.bus.publish("typed", Map.of("long", 42L, "list", List.of(1L, 2L), "map", Map.of("a", 1.5f)));
		assertThat(this.bus).published("typed")
			.withAttribute("long", 42)
			.withAttribute("list", List.of(1, 2))
			.withAttribute("map", Map.of("a", 1.5));
	}

	/** Attributes in the order given, so messages listing them are predictable. */
	private static Map<String, Object> ordered(Object... namesAndValues) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			attributes.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return attributes;
	}

	/** The assertion fails and its message starts with the expected text. */
	private static void assertFails(Executable assertion, String expectedStart) {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(assertion::execute)
			.satisfies((error) -> assertThat(error.getMessage()).startsWith(expectedStart));
	}

}
