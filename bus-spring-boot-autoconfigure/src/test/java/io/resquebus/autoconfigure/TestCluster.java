package io.resquebus.autoconfigure;

import io.resquebus.embedded.EmbeddedRedisCluster;

/**
 * One local Redis Cluster (3 masters, 3 replicas) for every cluster test of this JVM: it costs
 * seconds to start. Its nodes stop with the JVM.
 */
final class TestCluster {

	private static EmbeddedRedisCluster cluster;

	private TestCluster() {
	}

	/** For {@code @EnabledIf}: whether the binaries a cluster needs are there. */
	static boolean available() {
		return EmbeddedRedisCluster.available();
	}

	static synchronized EmbeddedRedisCluster shared() {
		if (cluster == null) {
			cluster = EmbeddedRedisCluster.start();
		}
		return cluster;
	}

	/** {@code spring.data.redis.cluster.nodes}: every node, so the client finds the cluster from any. */
	static String nodes() {
		return String.join(",", shared().nodes());
	}

}
