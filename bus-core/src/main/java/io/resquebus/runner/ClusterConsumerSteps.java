package io.resquebus.runner;

import java.util.List;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Cluster mode's consumer registration, unregistration and recovery: what register.lua,
 * unregister.lua and recover.lua do at once, as single-slot steps. A consumer is listed among the
 * consumers before it fetches, and leaves that list only after its in-flight jobs went back.
 */
final class ClusterConsumerSteps {

	private static final BusScript RESTORE = BusScript.load("restore");

	private ClusterConsumerSteps() {
	}

	static void register(RedisConnection connection, BusKeys keys, String consumerId, long leaseSeconds,
			String heartbeat, String started, String shownJob) {
		SlotSteps.call(connection, keys.consumers(), "SADD", consumerId);
		SlotSteps.call(connection, keys.lease(consumerId), "SET", heartbeat, "EX", Long.toString(leaseSeconds));
		SlotSteps.call(connection, keys.workersHeartbeat(), "HSET", consumerId, heartbeat);
		Object added = SlotSteps.call(connection, keys.workers(), "SADD", consumerId);
		SlotSteps.call(connection, keys.workerStarted(consumerId), "SET", started);
		if (added instanceof Number n && n.longValue() == 1 && !shownJob.isEmpty()) {
			SlotSteps.call(connection, keys.worker(consumerId), "SET", shownJob, "NX");
		}
	}

	static void unregister(RedisConnection connection, BusKeys keys, String consumerId) {
		SlotSteps.delete(connection, List.of(keys.lease(consumerId)));
		SlotSteps.call(connection, keys.workers(), "SREM", consumerId);
		SlotSteps.delete(connection, List.of(keys.worker(consumerId), keys.workerStarted(consumerId),
				keys.statProcessed(consumerId), keys.statFailed(consumerId)));
		SlotSteps.call(connection, keys.workersHeartbeat(), "HDEL", consumerId);
		SlotSteps.call(connection, keys.consumers(), "SREM", consumerId);
	}

	/**
	 * Gives a gone consumer's in-flight jobs back to the head of their queues, one queue (one slot)
	 * at a time, then removes its entries.
	 * @return how many jobs went back, or -1 while its lease exists
	 */
	static int recover(RedisConnection connection, BusKeys keys, String consumerId, List<String> queues) {
		Object exists = SlotSteps.call(connection, keys.lease(consumerId), "EXISTS");
		if (exists instanceof Number n && n.longValue() == 1) {
			return -1;
		}
		int moved = 0;
		for (String queue : queues) {
			List<@Nullable Object> reply = BusRedis.run(connection, RESTORE,
					List.of(keys.inflight(queue, consumerId), keys.queue(queue)), List.of());
			int back = reply.isEmpty() ? 0 : ((Number) reply.get(0)).intValue();
			if (back > 0) {
				SlotSteps.call(connection, keys.queues(), "SADD", queue);
			}
			moved += back;
		}
		SlotSteps.call(connection, keys.workers(), "SREM", consumerId);
		SlotSteps.delete(connection, List.of(keys.worker(consumerId), keys.workerStarted(consumerId)));
		SlotSteps.call(connection, keys.workersHeartbeat(), "HDEL", consumerId);
		SlotSteps.call(connection, keys.consumers(), "SREM", consumerId);
		return moved;
	}

}
