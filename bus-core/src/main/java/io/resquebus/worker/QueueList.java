package io.resquebus.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.resquebus.wire.BusKeys;

/**
 * A configured queue list as Resque reads it: names in priority order, where {@code *} stands for
 * every known queue not named before it, alphabetically. The driver's {@code bus_incoming} (and its
 * partitions) joins only when named, since a worker cannot run driver jobs.
 */
final class QueueList {

	/** Stands for every queue in Resque's {@code queues} set. */
	public static final String ALL = "*";

	private QueueList() {
	}

	/** Whether the list has a {@code *}, so it depends on the queues Redis knows. */
	public static boolean isDynamic(List<String> configured) {
		return configured.stream().anyMatch((queue) -> ALL.equals(queue.trim()));
	}

	/** The queues to work, highest priority first, with each {@code *} expanded; no duplicates. */
	public static List<String> expand(List<String> configured, Collection<String> known) {
		List<String> all = new ArrayList<>(known);
		all.removeIf(BusKeys::isIncomingQueue);
		all.sort(null);
		Set<String> result = new LinkedHashSet<>();
		for (String entry : configured) {
			String queue = entry.trim();
			if (ALL.equals(queue)) {
				result.addAll(all);
			}
			else if (!queue.isEmpty()) {
				result.add(queue);
			}
		}
		return List.copyOf(result);
	}

}
