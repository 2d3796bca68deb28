package io.resquebus.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.resquebus.wire.RubyJson;
import org.jspecify.annotations.Nullable;

/**
 * Renders recorded events for failure messages: one line each, attributes as the JSON the wire
 * carries (so {@code "42"} and {@code 42} look different).
 */
final class EventListing {

	private EventListing() {
	}

	/** "Published events (2):" and their lines, or "No event was published." */
	static String all(List<RecordedEvent> events) {
		if (events.isEmpty()) {
			return "\nNo event was published.";
		}
		return "\nPublished events (" + events.size() + "):" + lines(events);
	}

	static String lines(List<RecordedEvent> events) {
		StringBuilder out = new StringBuilder();
		for (RecordedEvent event : events) {
			out.append("\n  - ").append(line(event));
		}
		return out.toString();
	}

	static String line(RecordedEvent event) {
		String line = event.eventType() + " " + RubyJson.write(event.attributes());
		Instant due = event.dueAt();
		if (due != null) {
			Duration delay = Duration.ofSeconds(due.getEpochSecond() - event.publishedAt().getEpochSecond());
			line += " scheduled at " + due + " (" + delay + " after publishing)";
		}
		return line;
	}

	static String count(List<RecordedEvent> events) {
		return events.size() + ((events.size() == 1) ? " event" : " events");
	}

	static String quote(String text) {
		return RubyJson.write(text);
	}

	static String json(@Nullable Object value) {
		return RubyJson.write(value);
	}

}
