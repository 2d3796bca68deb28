package io.resquebus.failure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.ResqueTimes;
import org.jspecify.annotations.Nullable;

/**
 * Resque's failed list, from Java: count, page through, retry and remove entries, as resque-web
 * does. Retrying re-enqueues the job exactly as it was popped onto the queue it came from.
 */
public final class FailedJobs {

	/** The largest page {@link #list} returns. */
	public static final int MAX_PAGE_SIZE = 500;

	private static final BusScript REPLACE = BusScript.load("failed-replace");

	private final BusRedis redis;

	private final BusSettings settings;

	public FailedJobs(BusRedis redis, BusSettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	public long count() {
		Long size = this.redis.execute((connection) -> connection.listCommands().lLen(key()));
		return (size != null) ? size : 0;
	}

	/**
	 * A page of entries, oldest first.
	 * @param limit at most {@link #MAX_PAGE_SIZE}
	 */
	public List<FailedJob> list(long offset, int limit) {
		int size = Math.max(0, Math.min(limit, MAX_PAGE_SIZE));
		if (size == 0 || offset < 0) {
			return List.of();
		}
		List<byte[]> raws = this.redis
			.execute((connection) -> connection.listCommands().lRange(key(), offset, offset + size - 1));
		List<FailedJob> jobs = new ArrayList<>();
		if (raws != null) {
			long index = offset;
			for (byte[] raw : raws) {
				String entry = BusRedis.string(raw);
				jobs.add(new FailedJob(index++, entry, parse(entry)));
			}
		}
		return jobs;
	}

	/** The entry at a position, if there is one and its digest matches (when given). */
	public Optional<FailedJob> find(long index, @Nullable String digest) {
		List<FailedJob> page = list(index, 1);
		return page.stream().filter((job) -> digest == null || job.digest().equals(digest)).findFirst();
	}

	/**
	 * Re-enqueues the job onto its queue and marks the entry {@code retried_at}, as resque-web's
	 * Retry does.
	 * @return whether it was done; {@code false} if the entry is no longer at its position
	 */
	public boolean retry(FailedJob job) {
		String retried = this.settings.codec().withRetriedAt(job.raw(), ResqueTimes.retriedAt(this.settings.clock().instant()));
		return replace(job, retried, true);
	}

	/** Re-enqueues the job and removes the entry. @return whether it was done */
	public boolean retryAndRemove(FailedJob job) {
		return replace(job, "", true);
	}

	/** Removes the entry. @return whether it was done */
	public boolean remove(FailedJob job) {
		return replace(job, "", false);
	}

	/**
	 * Re-enqueues every job on the list and removes its entry, oldest first.
	 * @return how many were re-enqueued
	 */
	public int retryAll() {
		int retried = 0;
		long attempts = count() * 2 + 10;
		while (attempts-- > 0) {
			List<FailedJob> head = list(0, 1);
			if (head.isEmpty()) {
				break;
			}
			if (retryAndRemove(head.get(0))) {
				retried++;
			}
		}
		return retried;
	}

	/** Removes every entry. @return how many there were */
	public long clear() {
		long count = count();
		this.redis.execute((connection) -> connection.keyCommands().del(key()));
		return count;
	}

	private boolean replace(FailedJob job, String newEntry, boolean requeue) {
		BusKeys keys = this.settings.keys();
		String queue = job.entry().queue();
		boolean canRequeue = requeue && !queue.isEmpty();
		if (requeue && !canRequeue) {
			throw new IllegalStateException("Failed entry " + job.index() + " names no queue to retry on");
		}
		List<@Nullable Object> reply = this.redis.run(REPLACE,
				List.of(keys.failed(), keys.queues(), keys.queue(canRequeue ? queue : "_")),
				List.of(Long.toString(job.index()), job.raw(), newEntry, canRequeue ? job.entry().payload() : "",
						queue));
		return !reply.isEmpty() && ((Number) reply.get(0)).intValue() == 1;
	}

	private FailureEntry parse(String entry) {
		try {
			return this.settings.codec().parseFailure(entry);
		}
		catch (RuntimeException ex) {
			return new FailureEntry("", entry, "", "Unreadable failure entry: " + ex.getMessage(), List.of(), "", "");
		}
	}

	private byte[] key() {
		return BusRedis.bytes(this.settings.keys().failed());
	}

}
