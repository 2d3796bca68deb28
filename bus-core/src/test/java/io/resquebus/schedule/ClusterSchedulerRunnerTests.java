package io.resquebus.schedule;

import io.resquebus.support.TestBus;

/**
 * {@link SchedulerRunnerTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterSchedulerRunnerTests extends SchedulerRunnerTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
