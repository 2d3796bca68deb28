package io.resquebus.driver;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * The driver's commit in cluster mode, where the app queues live in other slots than
 * {@code bus_incoming}: an ordered, at-least-once, idempotent sequence instead of one script. Each
 * push (queue registered, job pushed) is recorded in the event's progress set, next to the driver's
 * in-flight list; only when every push of the batch is done do the events leave the in-flight
 * list. A driver that dies midway leaves its events in flight; the one that gets them again skips
 * the pushes their progress sets record, so no queue gets an event twice (unless the subscriptions
 * changed in between, which renumbers the pushes).
 */
final class ClusterFanOut {

	private static final BusScript DRIVE_DONE = BusScript.load("drive-done");

	/** A progress set outlives a lost batch that is never recovered by no more than this. */
	private static final Duration PROGRESS_TTL = Duration.ofDays(7);

	private final BusKeys keys;

	ClusterFanOut(BusKeys keys) {
		this.keys = keys;
	}

	/**
	 * @param driven the driven jobs exactly as fetched
	 * @param pushes per driven job, the pushes of its fan-out (none for a heartbeat)
	 */
	void commit(RedisConnection connection, String consumerId, List<byte[]> driven, List<List<Push>> pushes) {
		List<String> progressKeys = new ArrayList<>(driven.size());
		for (int i = 0; i < driven.size(); i++) {
			List<Push> eventPushes = pushes.get(i);
			if (eventPushes.isEmpty()) {
				continue;
			}
			String progress = this.keys.pushed(BusKeys.INCOMING_QUEUE, digest(driven.get(i)));
			progressKeys.add(progress);
			Set<String> done = members(connection, progress);
			Map<String, Integer> perQueue = new HashMap<>();
			for (Push push : eventPushes) {
				String member = push.queue() + ":" + perQueue.merge(push.queue(), 1, Integer::sum);
				if (done.contains(member)) {
					continue;
				}
				SlotSteps.enqueue(connection, this.keys, push.queue(), List.of(BusRedis.bytes(push.job())));
				SlotSteps.call(connection, progress, "SADD", member);
				SlotSteps.call(connection, progress, "EXPIRE", Long.toString(PROGRESS_TTL.toSeconds()));
			}
		}
		List<String> doneKeys = new ArrayList<>(1 + progressKeys.size());
		doneKeys.add(this.keys.inflight(BusKeys.INCOMING_QUEUE, consumerId));
		doneKeys.addAll(progressKeys);
		BusRedis.runBytes(connection, DRIVE_DONE, doneKeys, driven);
		SlotSteps.increment(connection, driven.size(), this.keys.statProcessed(), this.keys.statProcessed(consumerId));
	}

	private static Set<String> members(RedisConnection connection, String set) {
		Set<byte[]> members = connection.setCommands().sMembers(BusRedis.bytes(set));
		Set<String> done = new HashSet<>();
		if (members != null) {
			members.forEach((member) -> done.add(BusRedis.string(member)));
		}
		return done;
	}

	private static String digest(byte[] job) {
		try {
			return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(job));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static @Nullable ClusterFanOut of(BusRedis redis, BusKeys keys) {
		return redis.cluster() ? new ClusterFanOut(keys) : null;
	}

}
