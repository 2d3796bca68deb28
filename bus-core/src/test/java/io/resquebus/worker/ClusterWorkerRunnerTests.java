package io.resquebus.worker;

import io.resquebus.support.TestBus;

/**
 * {@link WorkerRunnerTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterWorkerRunnerTests extends WorkerRunnerTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
