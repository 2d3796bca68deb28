package io.resquebus.embedded;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Sentinel group from the redis-server binary: linked at start, tells when its replicas are
 * in sync (not while one is frozen), follows a failover (its replicas in sync with the new master),
 * and leaves no process behind.
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
			assertThat(group.awaitReplicasInSync(Duration.ofSeconds(60))).isEqualTo(master);
			int frozen = group.dataPorts().get(2);
			group.pause(frozen);
			try {
				assertThatIllegalStateException().isThrownBy(() -> group.awaitReplicasInSync(Duration.ofSeconds(3)))
					.withMessageContaining("in sync");
			}
			finally {
				group.resume(frozen);
			}
			assertThat(group.awaitReplicasInSync(Duration.ofSeconds(60))).isEqualTo(master);
			group.failover();
			int promoted = group.awaitNewMaster(master, Duration.ofSeconds(20));
			assertThat(promoted).isNotEqualTo(master).isIn(group.dataPorts());
			group.awaitReplica(master, Duration.ofSeconds(30));
			assertThat(group.awaitReplicasInSync(Duration.ofSeconds(60))).isEqualTo(promoted);
			assertThat(group.replicationInfo(promoted, "connected_slaves")).isEqualTo("2");
		}
		finally {
			long pid = group.pid(group.dataPorts().get(0));
			group.close();
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		}
	}

}
