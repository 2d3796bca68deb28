package io.resquebus.job;

import io.resquebus.support.TestBus;

/**
 * {@link ResqueTemplateGoldenTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterResqueTemplateGoldenTests extends ResqueTemplateGoldenTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
