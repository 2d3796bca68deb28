package io.resquebus.worker;

import io.resquebus.support.TestBus;

/**
 * {@link WorkerRunnerGoldenTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterWorkerRunnerGoldenTests extends WorkerRunnerGoldenTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
