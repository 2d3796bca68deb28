package io.resquebus.driver;

import io.resquebus.support.TestBus;

/**
 * {@link DriverRunnerGoldenTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterDriverRunnerGoldenTests extends DriverRunnerGoldenTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
