package io.resquebus.wire;

import java.util.List;

/**
 * Normalization of app keys and queue names (spec section 5, "Naming"), and Java's worker ids.
 */
public final class Names {

	/**
	 * Prefix of the host part of every Java worker id. A starting Ruby worker unregisters every
	 * worker whose host part equals its own {@code gethostname(2)} and whose pid is not a Resque
	 * process (Resque's {@code prune_dead_workers}); {@code @} is not allowed in a host name, so no
	 * Ruby worker ever takes a Java worker for one of its own dead siblings.
	 */
	public static final String JAVA_HOST_PREFIX = "java@";

	private Names() {
	}

	/**
	 * Each code point outside {@code [A-Za-z0-9_]} becomes {@code _}, then lowercase, as Ruby does
	 * ({@code Café-B} becomes {@code caf__b}).
	 */
	public static String normalize(String name) {
		StringBuilder out = new StringBuilder(name.length());
		name.codePoints().forEach((cp) -> {
			boolean word = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
			out.append(word ? Character.toLowerCase((char) cp) : '_');
		});
		return out.toString();
	}

	/**
	 * Normalizes an app key and rejects one that Ruby cannot drive (empty or only underscores).
	 * @throws IllegalArgumentException naming the offending key
	 */
	public static String appKey(String appKey) {
		String normalized = normalize(appKey);
		if (normalized.chars().allMatch((c) -> c == '_')) {
			throw new IllegalArgumentException("Invalid app key '" + appKey
					+ "': it must contain at least one letter or digit (an app key of only '_' breaks every Ruby driver)");
		}
		return normalized;
	}

	/** The queue an app's subscription with the given suffix ({@code default}, {@code critical}, ...) lands on. */
	public static String queue(String appKey, String suffix) {
		return normalize(appKey + "_" + suffix);
	}

	/**
	 * A worker id in Resque's {@code <host>:<pid>:<queues>} form, its host part
	 * {@code java@<hostname>}.
	 * @param hostname the configured host name (no {@code :})
	 * @param pid the pid part, {@code <pid>-<n>} for the n-th consumer of a process
	 * @param queues the queues in priority order
	 */
	public static String workerId(String hostname, String pid, List<String> queues) {
		return JAVA_HOST_PREFIX + hostname + ":" + pid + ":" + String.join(",", queues);
	}

}
