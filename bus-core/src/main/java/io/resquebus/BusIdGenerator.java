package io.resquebus;

import java.util.UUID;

/**
 * Makes the {@code bus_id} of a published event.
 */
@FunctionalInterface
public interface BusIdGenerator {

	/** queue-bus's format: {@code <epoch seconds>-<lowercase UUID v4>}. */
	BusIdGenerator DEFAULT = (epochSecond) -> epochSecond + "-" + UUID.randomUUID();

	String nextId(long epochSecond);

}
