package io.resquebus.worker;

import io.resquebus.support.TestBus;

/**
 * {@link ConsumerRecoveryTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterConsumerRecoveryTests extends ConsumerRecoveryTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
