package io.resquebus.test;

import java.util.List;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on everything a {@link RecordingBusOperations} recorded. Failure messages list what
 * was published.
 */
public class BusAssert extends AbstractAssert<BusAssert, RecordingBusOperations> {

	BusAssert(RecordingBusOperations bus) {
		super(bus, BusAssert.class);
	}

	/** Verifies that no event at all was published. */
	public BusAssert publishedNothing() {
		List<RecordedEvent> events = this.actual.events();
		if (!events.isEmpty()) {
			fail("Expecting no event to have been published, but found " + EventListing.count(events) + ":"
					+ EventListing.lines(events));
		}
		return this;
	}

	/**
	 * Verifies that at least one event of the type was published.
	 * @return assertions on the events of that type, to narrow down by attributes
	 */
	public PublishedEventsAssert published(String eventType) {
		List<RecordedEvent> events = this.actual.events(eventType);
		if (events.isEmpty()) {
			fail("Expecting an event " + EventListing.quote(eventType) + " to have been published, but none was."
					+ EventListing.all(this.actual.events()));
		}
		return events(eventType, events);
	}

	/**
	 * Verifies that exactly {@code times} events of the type were published.
	 * @return assertions on the events of that type, to narrow down by attributes
	 */
	public PublishedEventsAssert published(String eventType, int times) {
		List<RecordedEvent> events = this.actual.events(eventType);
		if (events.size() != times) {
			fail("Expecting " + times + " " + EventListing.quote(eventType) + " event" + ((times == 1) ? "" : "s")
					+ " to have been published, but found " + events.size() + "."
					+ EventListing.all(this.actual.events()));
		}
		return events(eventType, events);
	}

	/** Verifies that no event of the type was published. */
	public BusAssert didNotPublish(String eventType) {
		List<RecordedEvent> events = this.actual.events(eventType);
		if (!events.isEmpty()) {
			fail("Expecting no " + EventListing.quote(eventType) + " event to have been published, but found "
					+ EventListing.count(events) + ":" + EventListing.lines(events));
		}
		return this;
	}

	private PublishedEventsAssert events(String eventType, List<RecordedEvent> events) {
		return new PublishedEventsAssert(this.actual, eventType, events).as(this.info.description());
	}

	private void fail(String message) {
		failWithMessage("%s", message);
	}

}
