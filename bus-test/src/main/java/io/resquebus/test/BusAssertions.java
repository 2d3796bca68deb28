package io.resquebus.test;

import io.resquebus.publish.BusOperations;

/**
 * Entry point of the assertions on what a test published:
 * {@code assertThat(bus).published("user_created").withAttribute("id", 42)}.
 */
public final class BusAssertions {

	private BusAssertions() {
	}

	/** Assertions on the events a recording bus recorded. */
	public static BusAssert assertThat(RecordingBusOperations bus) {
		return new BusAssert(bus);
	}

	/**
	 * Assertions on the events a bus recorded, for a test that injected {@link BusOperations}.
	 * @throws AssertionError if the bus is not a {@link RecordingBusOperations}
	 */
	public static BusAssert assertThat(BusOperations bus) {
		if (bus instanceof RecordingBusOperations recording) {
			return new BusAssert(recording);
		}
		throw new AssertionError("Expecting a RecordingBusOperations (which @AutoConfigureRecordingBus provides) "
				+ "but the bus is a " + bus.getClass().getName());
	}

}
