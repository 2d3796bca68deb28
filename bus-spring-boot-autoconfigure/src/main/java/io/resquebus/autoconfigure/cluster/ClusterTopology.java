package io.resquebus.autoconfigure.cluster;

import java.time.Duration;

import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;

/**
 * The topology refresh the bus sets on a cluster client unless told otherwise: adaptive (a
 * {@code MOVED} redirect or a failed reconnect refreshes at once, so a failover does not stall
 * commands for seconds) and periodic.
 */
public final class ClusterTopology {

	/** How often the topology is read again even when nothing triggered a refresh. */
	public static final Duration PERIOD = Duration.ofSeconds(30);

	private ClusterTopology() {
	}

	public static ClusterTopologyRefreshOptions refreshOptions(boolean dynamicRefreshSources) {
		return ClusterTopologyRefreshOptions.builder()
			.enableAllAdaptiveRefreshTriggers()
			.enablePeriodicRefresh(PERIOD)
			.dynamicRefreshSources(dynamicRefreshSources)
			.build();
	}

}
