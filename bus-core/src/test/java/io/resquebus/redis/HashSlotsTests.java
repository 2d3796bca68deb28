package io.resquebus.redis;

import java.util.List;
import java.util.Random;

import io.resquebus.embedded.EmbeddedRedisCluster;
import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
	void agreesWithClusterKeyslotOfALiveClusterForAllSortsOfKeys() {
		Assumptions.assumeTrue(EmbeddedRedisCluster.available(), "redis-server and redis-cli are needed for a cluster");
		EmbeddedRedisCluster cluster = TestBus.cluster();
		int port = cluster.ports().get(0);
		Random random = new Random(42);
		String alphabet = "ab{}:é_-0z{}";
		for (int i = 0; i < 300; i++) {
			StringBuilder key = new StringBuilder();
			for (int n = random.nextInt(12); n > 0; n--) {
				key.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			assertThat(HashSlots.slot(key.toString())).as(key.toString())
				.isEqualTo(Integer.parseInt(cluster.command(port, "CLUSTER", "KEYSLOT", key.toString())));
		}
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
