package io.resquebus.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects what test handlers received, as {@code handler:bus_id} entries.
 */
class Recorder {

	private final List<String> entries = new CopyOnWriteArrayList<>();

	void record(String handler, String busId) {
		this.entries.add(handler + ":" + busId);
	}

	List<String> entries() {
		return List.copyOf(this.entries);
	}

	List<String> handlersOf(String busId) {
		return this.entries.stream()
			.filter((entry) -> entry.endsWith(":" + busId))
			.map((entry) -> entry.substring(0, entry.length() - busId.length() - 1))
			.toList();
	}

}
