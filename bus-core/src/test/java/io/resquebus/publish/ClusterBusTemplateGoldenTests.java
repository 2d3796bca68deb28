package io.resquebus.publish;

import io.resquebus.support.TestBus;

/**
 * {@link BusTemplateGoldenTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterBusTemplateGoldenTests extends BusTemplateGoldenTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
