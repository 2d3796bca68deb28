package io.resquebus.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;

/**
 * Cluster mode's registry writes and reads, where {@code bus_apps} and each app's hash live in
 * different slots: the hash is replaced in its own slot (build area renamed within it), and
 * {@code bus_apps} lists an app only while its hash exists (added after, removed before).
 */
final class ClusterSubscriptions {

	private static final BusScript SUBSCRIBE_SLOT = BusScript.load("subscribe-slot");

	private ClusterSubscriptions() {
	}

	/** @param fields field, value pairs; none unsubscribes the app */
	static void subscribe(BusRedis redis, BusKeys keys, String app, long nonce, List<String> fields) {
		redis.execute((connection) -> {
			if (fields.isEmpty()) {
				SlotSteps.call(connection, keys.apps(), "SREM", app);
			}
			BusRedis.run(connection, SUBSCRIBE_SLOT, List.of(keys.appBuildArea(app, nonce), keys.app(app)), fields);
			if (!fields.isEmpty()) {
				SlotSteps.call(connection, keys.apps(), "SADD", app);
			}
			// last, so a driver that sees the new version reads the new registry
			SlotSteps.call(connection, keys.registryVersion(), "INCR");
			return null;
		});
	}

	/**
	 * What registry.lua returns, read one key at a time: the registry version (read first, so a
	 * change made meanwhile bumps it past what is cached), then per app its member, n, then n
	 * field, value pairs.
	 */
	static List<@Nullable Object> read(BusRedis redis, BusKeys keys) {
		return redis.execute((connection) -> {
			List<@Nullable Object> out = new ArrayList<>();
			byte[] version = connection.stringCommands().get(BusRedis.bytes(keys.registryVersion()));
			out.add((version != null) ? BusRedis.string(version) : "0");
			Set<byte[]> apps = connection.setCommands().sMembers(BusRedis.bytes(keys.apps()));
			if (apps == null) {
				return out;
			}
			for (byte[] member : apps) {
				String app = BusRedis.string(member);
				Map<byte[], byte[]> hash = connection.hashCommands().hGetAll(BusRedis.bytes(keys.app(app)));
				out.add(app);
				out.add((long) ((hash != null) ? hash.size() : 0));
				if (hash != null) {
					hash.forEach((field, value) -> {
						out.add(BusRedis.string(field));
						out.add(BusRedis.string(value));
					});
				}
			}
			return out;
		});
	}

}
