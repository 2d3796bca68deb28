package io.resquebus.worker;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueueListTests {

	@Test
	void expandsAStarToEveryOtherKnownQueueAlphabetically() {
		assertThat(QueueList.expand(List.of("high", "*", "low"), List.of("low", "b", "high", "a", "bus_incoming")))
			.containsExactly("high", "a", "b", "low");
	}

	@Test
	void leavesThePartitionsOfTheIncomingQueueOutOfAStar() {
		assertThat(QueueList.expand(List.of("*"), List.of("a", "bus_incoming", "bus_incoming_p1_7", "bus_incoming_p2_40")))
			.containsExactly("a");
	}

	@Test
	void keepsTheIncomingQueueWhenNamed() {
		assertThat(QueueList.expand(List.of("bus_incoming", "*"), List.of("a", "bus_incoming")))
			.containsExactly("bus_incoming", "a");
	}

	@Test
	void isDynamicOnlyWithAStar() {
		assertThat(QueueList.isDynamic(List.of("a", " * "))).isTrue();
		assertThat(QueueList.isDynamic(List.of("a", "b*"))).isFalse();
	}

}
