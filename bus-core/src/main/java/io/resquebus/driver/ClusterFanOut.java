package io.resquebus.driver;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * changed in between, which renumbers the pushes). The pushes of a batch go queue by queue, one
 * step each, followed by the step recording them.
 */
final class ClusterFanOut {

	private static final BusScript DRIVE_DONE = BusScript.load("drive-done");

	private static final BusScript PROGRESS_READ = BusScript.load("progress-read");

	private static final BusScript PROGRESS_ADD = BusScript.load("progress-add");

	/** How long a queue counts as registered in {@code queues} without another {@code SADD}. */
	private static final Duration REGISTERED_TTL = Duration.ofSeconds(10);

	/** A progress set outlives a lost batch that is never recovered by no more than this. */
	private static final Duration PROGRESS_TTL = Duration.ofDays(7);

	private final BusKeys keys;

	/** Queues this driver registered lately (its consumer threads share them). */
	private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

	private volatile long registeredSince = System.nanoTime();

	ClusterFanOut(BusKeys keys) {
		this.keys = keys;
	}

	/**
	 * @param incoming the incoming queue (or partition) the jobs were driven from
	 * @param driven the driven jobs exactly as fetched
	 * @param pushes per driven job, the pushes of its fan-out (none for a heartbeat)
	 */
	void commit(RedisConnection connection, String incoming, String consumerId, List<byte[]> driven,
			List<List<Push>> pushes) {
		List<String> progressKeys = new ArrayList<>(driven.size());
		List<Integer> withPushes = new ArrayList<>(driven.size());
		for (int i = 0; i < driven.size(); i++) {
			if (!pushes.get(i).isEmpty()) {
				progressKeys.add(this.keys.pushed(incoming, digest(driven.get(i))));
				withPushes.add(i);
			}
		}
		List<Set<String>> done = progress(connection, progressKeys);
		// What is left to push, queue by queue in the order first seen: one push and one progress step per queue.
		Map<String, Pending> pending = new LinkedHashMap<>();
		for (int e = 0; e < withPushes.size(); e++) {
			Map<String, Integer> perQueue = new HashMap<>();
			for (Push push : pushes.get(withPushes.get(e))) {
				String member = push.queue() + ":" + perQueue.merge(push.queue(), 1, Integer::sum);
				if (!done.get(e).contains(member)) {
					Pending queue = pending.computeIfAbsent(push.queue(), (name) -> new Pending());
					queue.jobs.add(BusRedis.bytes(push.job()));
					queue.progressKeys.add(progressKeys.get(e));
					queue.members.add(member);
				}
			}
		}
		pending.forEach((queue, push) -> {
			if (!this.registeredQueues.contains(queue)) {
				SlotSteps.call(connection, this.keys.queues(), "SADD", queue);
				this.registeredQueues.add(queue);
			}
			SlotSteps.callBytes(connection, this.keys.queue(queue), "RPUSH", push.jobs);
			List<String> args = new ArrayList<>(1 + push.members.size());
			args.add(Long.toString(PROGRESS_TTL.toSeconds()));
			args.addAll(push.members);
			BusRedis.run(connection, PROGRESS_ADD, push.progressKeys, args);
		});
		List<String> doneKeys = new ArrayList<>(1 + progressKeys.size());
		doneKeys.add(this.keys.inflight(incoming, consumerId));
		doneKeys.addAll(progressKeys);
		BusRedis.runBytes(connection, DRIVE_DONE, doneKeys, driven);
		SlotSteps.increment(connection, driven.size(), this.keys.statProcessed(), this.keys.statProcessed(consumerId));
		if (System.nanoTime() - this.registeredSince > REGISTERED_TTL.toNanos()) {
			this.registeredQueues.clear(); // registers again now and then, in case a queue was removed
			this.registeredSince = System.nanoTime();
		}
	}

	/** The members of each progress set, in one step (they share the incoming queue's slot). */
	private static List<Set<String>> progress(RedisConnection connection, List<String> progressKeys) {
		List<Set<String>> done = new ArrayList<>(progressKeys.size());
		if (progressKeys.isEmpty()) {
			return done;
		}
		List<@Nullable Object> reply = BusRedis.run(connection, PROGRESS_READ, progressKeys, List.of());
		int at = 0;
		for (int i = 0; i < progressKeys.size(); i++) {
			int n = ((Number) reply.get(at++)).intValue();
			Set<String> members = new HashSet<>();
			for (int m = 0; m < n; m++) {
				members.add(String.valueOf(reply.get(at++)));
			}
			done.add(members);
		}
		return done;
	}

	/** The pushes left for one queue in a batch, with the progress they make. */
	private static final class Pending {

		final List<byte[]> jobs = new ArrayList<>();

		final List<String> progressKeys = new ArrayList<>();

		final List<String> members = new ArrayList<>();

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
