package io.resquebus.publish;

import io.resquebus.support.TestBus;

/**
 * {@link BusTemplatePublishTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterBusTemplatePublishTests extends BusTemplatePublishTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
