package io.resquebus.schedule;

import io.resquebus.support.TestBus;

/**
 * {@link DelayedDeliveryTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterDelayedDeliveryTests extends DelayedDeliveryTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
