package io.resquebus.autoconfigure.cluster;

import org.jspecify.annotations.Nullable;

/**
 * Whether the bus runs on a Redis Cluster, checked at start: a brace in the namespace or in the
 * app key would become (part of) a hash tag and move keys that must share a slot apart.
 */
public final class ClusterModeCheck {

	private final boolean cluster;

	ClusterModeCheck(boolean cluster) {
		this.cluster = cluster;
	}

	/** Whether the bus's Redis is a cluster. */
	public boolean cluster() {
		return this.cluster;
	}

	void verify(String prefix, String namespace, @Nullable String appKey, boolean standaloneLocalMode) {
		if (standaloneLocalMode) {
			throw new IllegalStateException("resquebus.local-mode=standalone pushes to every subscribed queue in one"
					+ " script, which a Redis Cluster refuses (the queues live in different hash slots); use the"
					+ " default local mode 'queued' on a cluster");
		}
		if (hasBrace(prefix) || hasBrace(namespace)) {
			throw new IllegalStateException("resquebus.namespace '" + namespace + "' contains '{' or '}', which Redis"
					+ " Cluster reads as a hash tag: the bus's keys would no longer share slots as they must."
					+ " Choose a namespace without braces to run on a cluster");
		}
		if (appKey != null && hasBrace(appKey)) {
			throw new IllegalStateException("resquebus.app-key '" + appKey + "' contains '{' or '}', which Redis"
					+ " Cluster reads as a hash tag in its queue and subscription keys. Choose an app key without"
					+ " braces to run on a cluster");
		}
	}

	private static boolean hasBrace(String text) {
		return text.indexOf('{') >= 0 || text.indexOf('}') >= 0;
	}

}
