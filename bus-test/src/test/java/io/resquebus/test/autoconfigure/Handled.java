package io.resquebus.test.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;

/**
 * The test apps' handlers: record what they received as {@code handler:bus_id}.
 */
class Handled {

	private final List<String> entries = new CopyOnWriteArrayList<>();

	@BusSubscriber("user_created")
	void userCreated(BusEvent event) {
		this.entries.add("userCreated:" + event.id());
	}

	@BusSubscriber("user_deleted")
	void userDeleted() {
		throw new IllegalStateException("cannot delete users");
	}

	List<String> entries() {
		return List.copyOf(this.entries);
	}

}
