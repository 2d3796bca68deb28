package io.resquebus.embedded;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Sentinel group from the redis-server binary: linked at start, follows a failover, and
 * leaves no process behind.
 */
class EmbeddedSentinelGroupTests {

	@Test
	void startsALinkedGroupThatFailsOverAndStopsEveryProcess() {
		assumeTrue(EmbeddedSentinelGroup.isAvailable(), "no redis-server binary");
		EmbeddedSentinelGroup group = EmbeddedSentinelGroup.builder().build();
		group.start();
		try {
			int master = group.masterPort();
			assertThat(group.dataPorts()).hasSize(3).first().isEqualTo(master);
			assertThat(group.sentinelPorts()).hasSize(3);
			assertThat(group.replicationInfo(master, "connected_slaves")).isEqualTo("2");
			assertThat(group.call(group.dataPorts().get(1), "SET", "k", "v")).startsWith("-READONLY");
			group.failover();
			int promoted = group.awaitNewMaster(master, Duration.ofSeconds(20));
			assertThat(promoted).isNotEqualTo(master).isIn(group.dataPorts());
			group.awaitReplica(master, Duration.ofSeconds(30));
		}
		finally {
			long pid = group.pid(group.dataPorts().get(0));
			group.close();
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		}
	}

}
