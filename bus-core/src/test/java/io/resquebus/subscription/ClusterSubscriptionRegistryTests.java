package io.resquebus.subscription;

import io.resquebus.support.TestBus;

/**
 * {@link SubscriptionRegistryTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterSubscriptionRegistryTests extends SubscriptionRegistryTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
