package io.resquebus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class HashSlotsTests {

	@Test
	void computesTheSlotsRedisReportsForClusterKeyslot() {
		// Values from CLUSTER KEYSLOT on redis-server 7.0.15.
		assertThat(HashSlots.slot("")).isEqualTo(0);
		assertThat(HashSlots.slot("a")).isEqualTo(15495);
		assertThat(HashSlots.slot("foo")).isEqualTo(12182);
		assertThat(HashSlots.slot("123456789")).isEqualTo(12739);
		assertThat(HashSlots.slot("resque:queue:q")).isEqualTo(7210);
		assertThat(HashSlots.slot("resque:bus_incoming")).isEqualTo(3035);
		assertThat(HashSlots.slot("résqué")).isEqualTo(11102);
	}

	@Test
	void hashesOnlyTheFirstNonEmptyBraces() {
		assertThat(HashSlots.slot("{resque:queue:q}:inflight:w")).isEqualTo(7210);
		assertThat(HashSlots.slot("{user1000}.following")).isEqualTo(3443);
		assertThat(HashSlots.slot("foo{}{bar}")).isEqualTo(8363);
		assertThat(HashSlots.slot("foo{{bar}}zap")).isEqualTo(4015);
		assertThat(HashSlots.slot("foo{bar}{zap}")).isEqualTo(5061);
		assertThat(HashSlots.slot("{}")).isEqualTo(15257);
	}

	@Test
	void acceptsKeysOfOneSlot() {
		HashSlots.requireOneSlot("requeue.lua", List.of("{resque:queue:q}:inflight:w", "resque:queue:q"));
	}

	@Test
	void refusesKeysOfDifferentSlotsNamingThem() {
		assertThatThrownBy(() -> HashSlots.requireOneSlot("enqueue.lua", List.of("resque:queues", "resque:queue:q")))
			.isInstanceOf(CrossSlotException.class)
			.hasMessageContaining("enqueue.lua")
			.hasMessageContaining("'resque:queues'")
			.hasMessageContaining("'resque:queue:q' (slot 7210)");
	}

}
