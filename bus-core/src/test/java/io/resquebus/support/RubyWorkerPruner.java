package io.resquebus.support;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.RubyJson;
import io.resquebus.wire.WireCodec;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A port of Resque's {@code Worker#prune_dead_workers}, which every Ruby worker runs as it
 * starts: with {@code heartbeats} off it is Resque 1.x's, with them on Resque 2.x's and 3.x's
 * (the same rule, preceded by the pruning of workers whose heartbeat is older than
 * {@code Resque.prune_interval}, 300 s by default).
 *
 * <p>Resque 1.x and later: each registered id is split on {@code :} into host, pid and queues; it is
 * skipped unless the pruner works {@code *} or exactly the same set of queues, unless its host
 * equals the pruner's {@code Socket.gethostname}, and when its pid is one of the Resque processes
 * {@code ps} lists. Otherwise it is unregistered; a job in progress is recorded as a
 * {@code Resque::DirtyExit} failure.
 *
 * @param hostname the pruning worker's {@code Socket.gethostname}
 * @param queues the pruning worker's queue list
 * @param resquePids what {@code worker_pids} returns: the Ruby Resque processes on the host
 * @param heartbeats whether the 2.x/3.x heartbeat rule applies
 */
public record RubyWorkerPruner(String hostname, List<String> queues, Set<String> resquePids, boolean heartbeats) {

	/** {@code Resque.prune_interval}: {@code heartbeat_interval} (60 s) times 5. */
	public static final Duration PRUNE_INTERVAL = Duration.ofSeconds(300);

	private static final DateTimeFormatter FAILED_AT = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	/** A Resque 1.x worker starting on {@code hostname}, no other Resque process on the host. */
	public static RubyWorkerPruner resque1(String hostname, String... queues) {
		return new RubyWorkerPruner(hostname, List.of(queues), Set.of(), false);
	}

	/** A Resque 2.x/3.x worker starting on {@code hostname}, no other Resque process on the host. */
	public static RubyWorkerPruner resque2(String hostname, String... queues) {
		return new RubyWorkerPruner(hostname, List.of(queues), Set.of(), true);
	}

	/**
	 * Prunes as the Ruby worker would.
	 * @return the ids it unregistered
	 */
	public List<String> prune(StringRedisTemplate redis, BusKeys keys) {
		Set<String> all = redis.opsForSet().members(keys.workers());
		List<String> pruned = new ArrayList<>();
		if (all == null || all.isEmpty()) {
			return pruned;
		}
		Map<Object, Object> beats = redis.opsForHash().entries(keys.workersHeartbeat());
		Instant now = redisTime(redis);
		for (String id : all) {
			if (this.heartbeats && beats.get(id) instanceof String beat
					&& Duration.between(OffsetDateTime.parse(beat).toInstant(), now).toSeconds() > PRUNE_INTERVAL
						.toSeconds()) {
				unregister(redis, keys, id, "Resque::PruneDeadWorkerDirtyExit", "Worker " + id + " did not gracefully exit");
				pruned.add(id);
				continue;
			}
			// Ruby's String#split(':'); a missing queue part would raise NoMethodError in Ruby.
			String[] parts = id.split(":");
			String host = parts[0];
			String pid = parts[1];
			Set<String> workerQueues = new HashSet<>(List.of(parts[2].split(",")));
			if (!this.queues.contains("*") && !workerQueues.equals(new HashSet<>(this.queues))) {
				continue;
			}
			if (!host.equals(this.hostname) || this.resquePids.contains(pid)) {
				continue;
			}
			unregister(redis, keys, id, "Resque::DirtyExit", "Job still being processed");
			pruned.add(id);
		}
		return pruned;
	}

	/** Resque's {@code Worker#unregister_worker}: fail the job in progress, then delete every key of the id. */
	public static void unregister(StringRedisTemplate redis, BusKeys keys, String id, String exception, String error) {
		String record = redis.opsForValue().get(keys.worker(id));
		if (record != null && !record.isEmpty()) {
			WireCodec codec = new WireCodec();
			Map<String, Object> processing = codec.readObject(record);
			String payload = RubyJson.write(processing.get("payload"));
			redis.opsForList()
				.rightPush(keys.failed(), codec.failure(new FailureEntry(FAILED_AT.format(redisTime(redis)), payload,
						exception, error, List.of(), id, (String) processing.get("queue"))));
		}
		redis.opsForSet().remove(keys.workers(), id);
		redis.delete(List.of(keys.worker(id), keys.workerStarted(id), keys.statProcessed(id), keys.statFailed(id)));
		redis.opsForHash().delete(keys.workersHeartbeat(), id);
	}

	private static Instant redisTime(StringRedisTemplate redis) {
		Long millis = redis.execute((org.springframework.data.redis.core.RedisCallback<Long>) (connection) -> connection
			.serverCommands()
			.time());
		return Instant.ofEpochMilli((millis != null) ? millis : System.currentTimeMillis());
	}

}
