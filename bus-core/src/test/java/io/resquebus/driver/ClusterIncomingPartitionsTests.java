package io.resquebus.driver;

import java.util.HashSet;
import java.util.Set;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.HashSlots;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IncomingPartitionsTests} on a local Redis Cluster of 3 masters, where the partitions are
 * the way past the one shard holding {@code bus_incoming}: each on a master of its own.
 */
class ClusterIncomingPartitionsTests extends IncomingPartitionsTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

	@Test
	void placesEachOfThreePartitionsOnADifferentMaster() {
		BusKeys keys = new BusKeys(this.bus.namespace(), 3);
		Set<Integer> slots = new HashSet<>();
		Set<String> masters = new HashSet<>();
		for (String queue : keys.incomingQueues()) {
			String key = keys.queue(queue);
			slots.add(HashSlots.slot(key));
			String master = this.bus.template()
				.execute((connection) -> ((RedisClusterConnection) connection).clusterGetNodeForKey(BusRedis.bytes(key))
					.getId(), true);
			masters.add(master);
		}
		assertThat(slots).hasSize(3);
		assertThat(masters).hasSize(3);
		assertThat(HashSlots.slot(keys.inflight(keys.incomingQueues().get(1), "c")))
			.isEqualTo(HashSlots.slot(keys.queue(keys.incomingQueues().get(1))));
	}

}
