package io.resquebus.schedule;

import io.resquebus.support.TestBus;

/**
 * {@link SchedulerRunnerGoldenTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterSchedulerRunnerGoldenTests extends SchedulerRunnerGoldenTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
