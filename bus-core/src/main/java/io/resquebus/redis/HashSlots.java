package io.resquebus.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.resquebus.wire.KeySlots;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Redis Cluster hash slots, by Redis's rules: CRC16 (XMODEM) of the key modulo 16384, hashing only
 * the text inside the first {@code {…}} when that text is non-empty. The bus asserts with
 * {@link #requireOneSlot} that every script and multi-key command it sends to a cluster touches one
 * slot, rather than letting Spring Data Redis emulate a cross-slot command (which can lose jobs).
 */
public final class HashSlots {

	/** The number of hash slots of a Redis Cluster. */
	public static final int SLOTS = KeySlots.SLOTS;

	private HashSlots() {
	}

	/** The slot of a key given as text (UTF-8, as the bus sends keys). */
	public static int slot(String key) {
		return slot(key.getBytes(StandardCharsets.UTF_8));
	}

	/** The slot of a key as Redis computes it for {@code CLUSTER KEYSLOT}. */
	public static int slot(byte[] key) {
		return KeySlots.slot(key);
	}

	/** Whether the connection talks to a Redis Cluster, where each command must stay in one slot. */
	public static boolean isCluster(RedisConnection connection) {
		return connection instanceof RedisClusterConnection;
	}

	/**
	 * Throws when the keys fall in more than one slot.
	 * @param what the script or command, for the message
	 * @throws CrossSlotException naming the first two keys of different slots
	 */
	public static void requireOneSlot(String what, List<String> keys) {
		if (keys.size() < 2) {
			return;
		}
		String first = keys.get(0);
		int slot = slot(first);
		for (int i = 1; i < keys.size(); i++) {
			int other = slot(keys.get(i));
			if (other != slot) {
				throw new CrossSlotException(what + " would touch keys of different Redis Cluster hash slots: '"
						+ first + "' (slot " + slot + ") and '" + keys.get(i) + "' (slot " + other
						+ "); in cluster mode every script and multi-key command must stay in one slot");
			}
		}
	}

	/** As {@link #requireOneSlot(String, List)} when the connection is a cluster's, else nothing. */
	public static void requireOneSlot(RedisConnection connection, String what, List<String> keys) {
		if (isCluster(connection)) {
			requireOneSlot(what, keys);
		}
	}

}
