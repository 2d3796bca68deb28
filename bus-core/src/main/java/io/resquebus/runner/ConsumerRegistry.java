package io.resquebus.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.HashSlots;
import io.resquebus.redis.QueueFetcher;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.ResqueTimes;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Keeps this process's consumers known in Redis: a lease per consumer (a Java-only key with an
 * expiry that {@link OrphanRecovery} checks) and Resque's worker entries (spec section 10), so
 * resque-web lists Java workers and drivers next to Ruby ones. Each renewal writes every entry
 * again, so a consumer that a pruner unregistered comes back whole: its start time and, if it
 * is running one, its job record.
 */
public final class ConsumerRegistry {

	private static final BusScript REGISTER = BusScript.load("register");

	private static final BusScript UNREGISTER = BusScript.load("unregister");

	private final BusRedis redis;

	private final BusSettings settings;

	private final Duration leaseTime;

	/** Live consumers of this process and when each started, as Resque writes it. */
	private final Map<String, String> live = new ConcurrentHashMap<>();

	/** The job record of each consumer that runs a batch, as last written. */
	private final Map<String, Shown> working = new ConcurrentHashMap<>();

	/** Where the job goes in a job record made for the fetch script. */
	private static final String JOB_MARK = "@resquebus-job@";

	/** How long a job record may show an earlier job of the batch before a job start writes it again. */
	public static final Duration RECORD_REFRESH = Duration.ofSeconds(1);

	/**
	 * @param leaseTime how long a consumer counts as alive after its last renewal; its jobs are
	 * recovered by others once it has passed
	 */
	public ConsumerRegistry(BusRedis redis, BusSettings settings, Duration leaseTime) {
		this.redis = redis;
		this.settings = settings;
		this.leaseTime = leaseTime;
	}

	public Duration leaseTime() {
		return this.leaseTime;
	}

	/** Registers a consumer before it fetches anything. */
	public void register(RedisConnection connection, String consumerId) {
		Instant now = redisTime(connection);
		String started = ResqueTimes.workerStarted(now);
		this.working.remove(consumerId);
		run(connection, consumerId, ResqueTimes.heartbeat(now), started);
		this.live.put(consumerId, started);
	}

	/** Renews the lease and heartbeat of every live consumer of this process (re-adding any a pruner removed). */
	public void renewAll() {
		if (this.live.isEmpty()) {
			return;
		}
		this.redis.execute((connection) -> {
			String heartbeat = ResqueTimes.heartbeat(redisTime(connection));
			this.live.forEach((consumerId, started) -> run(connection, consumerId, heartbeat, started));
			return null;
		});
	}

	/**
	 * Records which job the consumer runs, for resque-web. Writes {@code worker:<id>} (one command, timed
	 * by the local clock) only when it has none, which is at the first job of a batch or after a failure
	 * deleted it, or when it shows a job started over {@link #RECORD_REFRESH} ago; otherwise it keeps
	 * showing an earlier job of the same batch. The batch's acknowledgement deletes it.
	 * @param job the job's text as fetched, already parsed as a JSON object
	 */
	public void working(RedisConnection connection, String consumerId, String queue, String job) {
		long now = System.nanoTime();
		Shown shown = this.working.get(consumerId);
		if (shown != null && now - shown.writtenAt() < RECORD_REFRESH.toNanos()) {
			return;
		}
		String current = this.settings.codec()
			.currentJob(queue, ResqueTimes.runAt(this.settings.clock().instant()), job);
		connection.stringCommands()
			.set(BusRedis.bytes(this.settings.keys().worker(consumerId)), BusRedis.bytes(current));
		this.working.put(consumerId, new Shown(current, now));
	}

	/**
	 * The job record of a consumer as its fetch script writes it, for the first job of each batch
	 * (see {@link QueueFetcher#setJobRecord}): as {@link #working} would, one round trip less per batch.
	 */
	public QueueFetcher.JobRecord jobRecord(String consumerId) {
		return new QueueFetcher.JobRecord() {

			private String runAt = "";

			/** The epoch second {@link #runAt} was formatted for: run_at has whole seconds, formatted once each. */
			private long second = Long.MIN_VALUE;

			private final Map<String, List<String>> parts = new HashMap<>();

			@Override
			public List<String> around(String queue) {
				Instant instant = ConsumerRegistry.this.settings.clock().instant();
				if (instant.getEpochSecond() != this.second) {
					this.second = instant.getEpochSecond();
					String now = ResqueTimes.runAt(instant);
					if (!now.equals(this.runAt)) {
						this.runAt = now;
						this.parts.clear();
					}
				}
				String now = this.runAt;
				return this.parts.computeIfAbsent(queue, (q) -> {
					String record = ConsumerRegistry.this.settings.codec().currentJob(q, now, JOB_MARK);
					int at = record.lastIndexOf(JOB_MARK);
					return List.of(record.substring(0, at), record.substring(at + JOB_MARK.length()));
				});
			}

			@Override
			public void written(String record) {
				ConsumerRegistry.this.working.put(consumerId, new Shown(record, System.nanoTime()));
			}

		};
	}

	/** Forgets the job record of a consumer after Redis deleted it (its batch acknowledged, or a job failed). */
	public void idle(String consumerId) {
		this.working.remove(consumerId);
	}

	/** Whether this registry wrote a job record for the consumer that Redis still holds. */
	public boolean shows(String consumerId) {
		return this.working.containsKey(consumerId);
	}

	/** Removes a consumer that stopped cleanly (nothing of it left in flight). */
	public void unregister(RedisConnection connection, String consumerId) {
		this.live.remove(consumerId);
		this.working.remove(consumerId);
		BusKeys keys = this.settings.keys();
		if (HashSlots.isCluster(connection)) {
			ClusterConsumerSteps.unregister(connection, keys, consumerId);
			return;
		}
		BusRedis.run(connection, UNREGISTER,
				List.of(keys.lease(consumerId), keys.workers(), keys.worker(consumerId), keys.workerStarted(consumerId),
						keys.statProcessed(consumerId), keys.statFailed(consumerId), keys.workersHeartbeat(),
						keys.consumers()),
				List.of(consumerId));
	}

	/**
	 * Stops renewing a consumer's lease without unregistering it (a consumer thread that died, or one
	 * a stop left waiting on Redis): once the lease expires, recovery gives its jobs back. Registering
	 * it again renews it again.
	 */
	public void abandon(String consumerId) {
		this.live.remove(consumerId);
	}

	/** Whether the consumer is one of this process's, registered and not stopped. */
	public boolean isLive(String consumerId) {
		return this.live.containsKey(consumerId);
	}

	private void run(RedisConnection connection, String consumerId, String heartbeat, String started) {
		BusKeys keys = this.settings.keys();
		Shown shown = this.working.get(consumerId);
		if (HashSlots.isCluster(connection)) {
			ClusterConsumerSteps.register(connection, keys, consumerId, Math.max(1, this.leaseTime.toSeconds()),
					heartbeat, started, (shown != null) ? shown.json() : "");
			return;
		}
		BusRedis.run(connection, REGISTER,
				List.of(keys.lease(consumerId), keys.workersHeartbeat(), keys.workers(), keys.workerStarted(consumerId),
						keys.consumers(), keys.worker(consumerId)),
				List.of(consumerId, Long.toString(Math.max(1, this.leaseTime.toSeconds())), heartbeat, started,
						(shown != null) ? shown.json() : ""));
	}

	/** Resque takes worker times from Redis, so every process agrees on them. */
	private static Instant redisTime(RedisConnection connection) {
		Long millis = connection.serverCommands().time();
		return (millis != null) ? Instant.ofEpochMilli(millis) : Instant.now();
	}

	private record Shown(String json, long writtenAt) {
	}

}
