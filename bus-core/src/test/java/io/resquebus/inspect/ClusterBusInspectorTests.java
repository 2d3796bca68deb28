package io.resquebus.inspect;

import io.resquebus.support.TestBus;

/**
 * {@link BusInspectorTests} on a local Redis Cluster: the same behaviour, every command in one slot.
 */
class ClusterBusInspectorTests extends BusInspectorTests {

	@Override
	TestBus newBus() {
		return TestBus.onCluster();
	}

}
