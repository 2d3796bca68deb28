package io.resquebus;

/**
 * Makes the {@code bus_id} of a published event.
 */
@FunctionalInterface
public interface BusIdGenerator {

	/**
	 * queue-bus's format: {@code <epoch seconds>-<lowercase UUID v4>}. The UUID's 122 random bits come
	 * from a per-thread generator seeded from {@code SecureRandom} (not {@code SecureRandom} per id):
	 * as unlikely to collide, not meant to be unguessable.
	 */
	BusIdGenerator DEFAULT = (epochSecond) -> epochSecond + "-" + RandomIds.uuid();

	String nextId(long epochSecond);

}
