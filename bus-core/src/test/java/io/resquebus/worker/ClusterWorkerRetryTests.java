package io.resquebus.worker;

import io.resquebus.support.TestBus;

/**
 * {@link WorkerRetryTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterWorkerRetryTests extends WorkerRetryTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
