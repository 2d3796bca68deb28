package io.resquebus.failure;

import io.resquebus.support.TestBus;

/**
 * {@link FailedJobsTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterFailedJobsTests extends FailedJobsTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
