package io.resquebus.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the in-flight jobs of dead consumers (killed, powered off: their lease expired) back at
 * the head of their queues, so nothing a consumer took is lost. Safe in every process at once:
 * each move is one script that does nothing while the consumer's lease exists. Reads the set of
 * Java consumer ids rather than scanning the keyspace.
 */
public final class OrphanRecovery {

	private static final Logger logger = LoggerFactory.getLogger(OrphanRecovery.class);

	private static final BusScript RECOVER = BusScript.load("recover");

	private final BusRedis redis;

	private final BusKeys keys;

	private final ConsumerRegistry registry;

	public OrphanRecovery(BusRedis redis, BusSettings settings, ConsumerRegistry registry) {
		this.redis = redis;
		this.keys = settings.keys();
		this.registry = registry;
	}

	/** @return how many jobs went back to their queues */
	public int recover() {
		Set<byte[]> members = this.redis
			.execute((connection) -> connection.setCommands().sMembers(BusRedis.bytes(this.keys.consumers())));
		int recovered = 0;
		if (members == null) {
			return 0;
		}
		for (byte[] member : members) {
			String consumerId = BusRedis.string(member);
			if (!this.registry.isLive(consumerId)) {
				recovered += recover(consumerId);
			}
		}
		return recovered;
	}

	private int recover(String consumerId) {
		List<String> queues = queuesOf(consumerId);
		if (this.redis.cluster()) {
			int moved = this.redis
				.execute((connection) -> ClusterConsumerSteps.recover(connection, this.keys, consumerId, queues));
			if (moved > 0) {
				logger.warn("Consumer {} is gone (lease expired): put its {} unfinished job(s) back on {}", consumerId,
						moved, queues);
			}
			return Math.max(0, moved);
		}
		List<String> scriptKeys = new ArrayList<>(List.of(this.keys.lease(consumerId), this.keys.consumers(),
				this.keys.queues(), this.keys.workers(), this.keys.worker(consumerId),
				this.keys.workerStarted(consumerId), this.keys.workersHeartbeat()));
		List<String> args = new ArrayList<>();
		args.add(consumerId);
		for (String queue : queues) {
			scriptKeys.add(this.keys.inflight(queue, consumerId));
			scriptKeys.add(this.keys.queue(queue));
			args.add(queue);
		}
		List<@Nullable Object> reply = this.redis.run(RECOVER, scriptKeys, args);
		int moved = ((Number) reply.get(0)).intValue();
		if (moved > 0) {
			logger.warn("Consumer {} is gone (lease expired): put its {} unfinished job(s) back on {}", consumerId,
					moved, queues);
		}
		return Math.max(0, moved);
	}

	/** A consumer id is {@code host:pid-n:q1,q2}; host names and queue names hold no ':'. */
	public static List<String> queuesOf(String consumerId) {
		int last = consumerId.lastIndexOf(':');
		return (last < 0) ? List.of() : List.of(consumerId.substring(last + 1).split(","));
	}

}
