package io.resquebus.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.ThrowingConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on the published events of one type. Each check keeps the events that pass it, so
 * chained checks must hold for one and the same event:
 * {@code published("user_created").withAttribute("id", 42).withAttribute("name", "John")}.
 * Expected values are compared as the wire carries them: {@code 42L} equals a published {@code 42}.
 */
public class PublishedEventsAssert extends AbstractAssert<PublishedEventsAssert, List<RecordedEvent>> {

	private final RecordingBusOperations bus;

	private final String eventType;

	private final List<String> criteria;

	PublishedEventsAssert(RecordingBusOperations bus, String eventType, List<RecordedEvent> events) {
		this(bus, eventType, events, List.of());
	}

	private PublishedEventsAssert(RecordingBusOperations bus, String eventType, List<RecordedEvent> events,
			List<String> criteria) {
		super(List.copyOf(events), PublishedEventsAssert.class);
		this.bus = bus;
		this.eventType = eventType;
		this.criteria = criteria;
	}

	/**
	 * Verifies that an event has the attribute with the value ({@code bus_*} metadata included).
	 * @param value a JSON value: string, number, boolean, null, or a list or map of them
	 */
	public PublishedEventsAssert withAttribute(String name, @Nullable Object value) {
		Object expected = this.bus.wireValue(value);
		return narrow("with " + EventListing.quote(name) + " = " + EventListing.json(expected),
				(event) -> event.event().containsKey(name) && Objects.equals(event.event().get(name), expected));
	}

	/** Verifies that an event has all these attributes with these values, and maybe others. */
	public PublishedEventsAssert withAttributes(Map<String, ?> attributes) {
		Map<String, @Nullable Object> expected = wireMap(attributes);
		return narrow("with " + EventListing.json(expected), (event) -> expected.entrySet()
			.stream()
			.allMatch((entry) -> event.event().containsKey(entry.getKey())
					&& Objects.equals(event.event().get(entry.getKey()), entry.getValue())));
	}

	/** Verifies that an event was published with exactly these attributes (not counting {@code bus_*} metadata). */
	public PublishedEventsAssert withAttributesExactly(Map<String, ?> attributes) {
		Map<String, @Nullable Object> expected = wireMap(attributes);
		return narrow("with exactly the attributes " + EventListing.json(expected),
				(event) -> event.attributes().equals(expected));
	}

	/** Verifies that an event lacks the attribute. */
	public PublishedEventsAssert withoutAttribute(String name) {
		return narrow("without " + EventListing.quote(name), (event) -> !event.event().containsKey(name));
	}

	/**
	 * Verifies that an event satisfies the requirements (assertions on a {@link RecordedEvent});
	 * on failure the message shows why each event failed them.
	 */
	public PublishedEventsAssert satisfies(ThrowingConsumer<? super RecordedEvent> requirements) {
		Map<RecordedEvent, String> failures = new LinkedHashMap<>();
		List<RecordedEvent> passing = new ArrayList<>();
		for (RecordedEvent event : this.actual) {
			try {
				requirements.accept(event);
				passing.add(event);
			}
			catch (AssertionError ex) {
				failures.put(event, String.valueOf(ex.getMessage()).strip());
			}
		}
		String criterion = "satisfying the given requirements";
		if (passing.isEmpty()) {
			StringBuilder reasons = new StringBuilder();
			failures.forEach((event, reason) -> reasons.append("\n  - ")
				.append(EventListing.line(event))
				.append("\n      ")
				.append(reason.replace("\n", "\n      ")));
			failWithMessage("%s", expecting(criterion) + "\n" + candidates() + reasons);
		}
		return next(criterion, passing);
	}

	/** Verifies that an event was published with {@code publishAt} or {@code publishIn}. */
	public PublishedEventsAssert scheduled() {
		return narrow("scheduled", RecordedEvent::isScheduled);
	}

	/** Verifies that an event was scheduled for this instant, to the second (as the wire stores it). */
	public PublishedEventsAssert scheduledAt(Instant when) {
		return narrow("scheduled at " + Instant.ofEpochSecond(when.getEpochSecond()),
				(event) -> event.dueAt() != null && event.dueAt().getEpochSecond() == when.getEpochSecond());
	}

	/** Verifies that an event was scheduled this long after it was published, to the second. */
	public PublishedEventsAssert scheduledIn(Duration delay) {
		return narrow("scheduled " + delay + " after publishing", (event) -> event.dueAt() != null
				&& event.dueAt().getEpochSecond() == event.publishedAt().plus(delay).getEpochSecond());
	}

	/** Verifies that an event was published to be delivered now, not scheduled. */
	public PublishedEventsAssert notScheduled() {
		return narrow("not scheduled", (event) -> !event.isScheduled());
	}

	private PublishedEventsAssert narrow(String criterion, Predicate<RecordedEvent> test) {
		List<RecordedEvent> passing = this.actual.stream().filter(test).toList();
		if (passing.isEmpty()) {
			failWithMessage("%s", expecting(criterion) + "\n" + candidates() + EventListing.lines(this.actual));
		}
		return next(criterion, passing);
	}

	private PublishedEventsAssert next(String criterion, List<RecordedEvent> passing) {
		List<String> criteria = new ArrayList<>(this.criteria);
		criteria.add(criterion);
		return new PublishedEventsAssert(this.bus, this.eventType, passing, List.copyOf(criteria))
			.as(this.info.description());
	}

	/** {@code Expecting a published "user_created" event with "id" = 42, but there is none.} */
	private String expecting(String criterion) {
		List<String> all = new ArrayList<>(this.criteria);
		all.add(criterion);
		return "Expecting a published " + EventListing.quote(this.eventType) + " event " + String.join(", ", all)
				+ ", but there is none.";
	}

	/** {@code "user_created" events with "id" = 42 (2):}, the events the failed check was given. */
	private String candidates() {
		String heading = EventListing.quote(this.eventType) + " events";
		if (!this.criteria.isEmpty()) {
			heading += " " + String.join(", ", this.criteria);
		}
		return heading + " (" + this.actual.size() + "):";
	}

	private Map<String, @Nullable Object> wireMap(Map<String, ?> attributes) {
		Map<String, @Nullable Object> expected = new LinkedHashMap<>();
		attributes.forEach((name, value) -> expected.put(name, this.bus.wireValue(value)));
		return expected;
	}

}
