package io.resquebus.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one check of the Redis version the bus needs: 6.2 or later, for {@code LMOVE} and
 * {@code BLMOVE} (fetch, acknowledgement and recovery scripts, the blocking fetch) and the other
 * commands of 6.2 the scripts use. Older servers (the Redis 5 of the only Windows build the
 * embedded-redis artifact ships, for one) would fail later with "unknown command"; this says why
 * at start.
 */
public final class RedisServerVersion {

	/** The oldest Redis the bus runs on. */
	public static final String MINIMUM = "6.2.0";

	private static final int[] MINIMUM_PARTS = { 6, 2, 0 };

	private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

	private RedisServerVersion() {
	}

	/**
	 * @param version a {@code redis_version} as {@code INFO server} gives it, e.g. {@code 7.2.4}
	 * @return whether the bus runs on it; an unreadable version counts as supported (a fork that
	 * reports something else is given the benefit of the doubt, its commands fail loudly if not)
	 */
	public static boolean isSupported(String version) {
		Matcher matcher = VERSION.matcher(version.trim());
		if (!matcher.matches()) {
			return true;
		}
		int[] parts = { Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
				(matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 0 };
		for (int i = 0; i < parts.length; i++) {
			if (parts[i] != MINIMUM_PARTS[i]) {
				return parts[i] > MINIMUM_PARTS[i];
			}
		}
		return true;
	}

	/**
	 * @param info what {@code INFO server} answered: {@code redis_version}, or for a cluster one
	 * {@code <node>.redis_version} per node
	 * @param server names the server in the message, e.g. {@code redis://localhost:6379}
	 * @throws UnsupportedRedisVersionException naming the server, its version and the minimum
	 */
	public static void require(Properties info, String server) {
		List<String> tooOld = new ArrayList<>();
		for (String name : info.stringPropertyNames()) {
			if (name.equals("redis_version") || name.endsWith(".redis_version")) {
				String version = info.getProperty(name);
				if (!isSupported(version)) {
					String node = name.equals("redis_version") ? "" : name.substring(0, name.length() - 14) + " ";
					tooOld.add(node + version);
				}
			}
		}
		if (!tooOld.isEmpty()) {
			throw new UnsupportedRedisVersionException("Redis at " + server + " is version " + String.join(", ", tooOld)
					+ "; the bus needs Redis " + MINIMUM + " or later (LMOVE, BLMOVE). Upgrade it, or point the bus at"
					+ " a newer one (resquebus.redis.url)");
		}
	}

}
