package io.resquebus.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledIf("io.resquebus.embedded.EmbeddedRedisCluster#available")
class EmbeddedRedisClusterTests {

	@Test
	void startsOneMasterWithItsReplicaServingEverySlotAndStopsThem() {
		EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(1);
		int master;
		try {
			assertThat(cluster.ports()).hasSize(2);
			assertThat(cluster.masterPorts()).hasSize(1);
			master = cluster.masterPorts().get(0);
			assertThat(cluster.command(master, "CLUSTER", "INFO")).contains("cluster_state:ok",
					"cluster_slots_assigned:16384");
			assertThat(cluster.command(master, "CLUSTER", "KEYSLOT", "{resque:queue:q}:inflight:w")).isEqualTo("7210");
		}
		finally {
			cluster.close();
		}
		assertThat(RespPing.ping("127.0.0.1", master)).isFalse();
	}

}
