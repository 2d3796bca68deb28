package io.resquebus.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.ResqueTimes;
import org.jspecify.annotations.Nullable;

/**
 * Resque's failed list, from Java: count, page through, retry and remove entries, as resque-web
 * does. Retrying re-enqueues the job exactly as it was popped onto the queue it came from.
 * <p>
 * Reads wait at most the read timeout for Redis (with Lettuce, whatever the client's own command
 * timeout), then fail with a {@link io.resquebus.redis.RedisCallTimeoutException}.
 * {@link #previews} bounds the bytes of a page too: an entry over the limit is cut in Redis and
 * never reaches the JVM whole.
 */
public final class FailedJobs {

	/** The largest page {@link #list} returns. */
	public static final int MAX_PAGE_SIZE = 500;

	/** How long a read waits for Redis unless told otherwise. */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);

	private static final BusScript REPLACE = BusScript.load("failed-replace");

	private static final BusScript PAGE = BusScript.load("failed-page");

	private static final BusScript ENTRY = BusScript.load("failed-entry");

	private final BusRedis redis;

	private final BusSettings settings;

	private final Duration readTimeout;

	/**
	 * @param readTimeout how long a read waits for Redis, positive
	 */
	public FailedJobs(BusRedis redis, BusSettings settings, Duration readTimeout) {
		if (readTimeout.isNegative() || readTimeout.isZero()) {
			throw new IllegalArgumentException("Read timeout must be positive, was " + readTimeout);
		}
		this.redis = redis;
		this.settings = settings;
		this.readTimeout = readTimeout;
	}

	/** Failed jobs whose reads wait at most {@link #DEFAULT_READ_TIMEOUT}. */
	public FailedJobs(BusRedis redis, BusSettings settings) {
		this(redis, settings, DEFAULT_READ_TIMEOUT);
	}

	public long count() {
		return ((Number) page(0, -1, 0).get(0)).longValue();
	}

	/**
	 * The list's length and a page of its entries, oldest first, in one round trip, each entry at
	 * most {@code maxBytes} (bigger ones are cut in Redis: their small fields and the start of their
	 * payload, marked {@link FailedJobPreview#truncated()}).
	 * @param limit at most {@link #MAX_PAGE_SIZE}
	 */
	public FailedPage previews(long offset, int limit, int maxBytes) {
		int size = Math.max(0, Math.min(limit, MAX_PAGE_SIZE));
		boolean none = size == 0 || offset < 0;
		List<@Nullable Object> reply = page(Math.max(0, offset), none ? -1 : offset + size - 1, Math.max(1, maxBytes));
		List<FailedJobPreview> items = new ArrayList<>();
		long index = offset;
		for (int i = 1; i + 4 < reply.size(); i += 5) {
			long bytes = ((Number) reply.get(i)).longValue();
			String digest = String.valueOf(reply.get(i + 1));
			boolean truncated = ((Number) reply.get(i + 2)).intValue() == 1;
			String json = String.valueOf(reply.get(i + 3));
			FailureEntry entry = parse(json);
			if (truncated) {
				entry = new FailureEntry(entry.failedAt(), String.valueOf(reply.get(i + 4)), entry.exception(),
						entry.error(), entry.backtrace(), entry.worker(), entry.queue());
			}
			items.add(new FailedJobPreview(index++, digest, bytes, truncated, entry));
		}
		return new FailedPage(((Number) reply.get(0)).longValue(), items);
	}

	/**
	 * The entry at a position, whole, if it is at most {@code maxBytes}.
	 * @return empty if there is no entry there
	 * @throws FailedJobTooLargeException if it is larger than {@code maxBytes}
	 */
	public Optional<FailedJob> get(long index, long maxBytes) {
		if (index < 0) {
			return Optional.empty();
		}
		List<@Nullable Object> reply = this.redis.run(ENTRY, List.of(this.settings.keys().failed()),
				List.of(Long.toString(index), Long.toString(Math.max(0, maxBytes))), this.readTimeout);
		if (reply.isEmpty()) {
			return Optional.empty();
		}
		if (reply.size() < 3) {
			throw new FailedJobTooLargeException(index, String.valueOf(reply.get(1)),
					((Number) reply.get(0)).longValue(), maxBytes);
		}
		String raw = String.valueOf(reply.get(2));
		return Optional.of(new FailedJob(index, raw, parse(raw)));
	}

	private List<@Nullable Object> page(long start, long stop, int maxBytes) {
		return this.redis.run(PAGE, List.of(this.settings.keys().failed()),
				List.of(Long.toString(start), Long.toString(stop), Integer.toString(maxBytes)), this.readTimeout);
	}

	/**
	 * A page of entries, oldest first, whole: for entries of unknown size prefer
	 * {@link #previews}, which bounds the bytes read.
	 * @param limit at most {@link #MAX_PAGE_SIZE}
	 */
	public List<FailedJob> list(long offset, int limit) {
		int size = Math.max(0, Math.min(limit, MAX_PAGE_SIZE));
		if (size == 0 || offset < 0) {
			return List.of();
		}
		List<@Nullable Object> reply = page(offset, offset + size - 1, Integer.MAX_VALUE);
		List<FailedJob> jobs = new ArrayList<>();
		long index = offset;
		for (int i = 1; i + 4 < reply.size(); i += 5) {
			String entry = String.valueOf(reply.get(i + 3));
			jobs.add(new FailedJob(index++, entry, parse(entry)));
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

	/**
	 * resque-web's Retry all: re-enqueues every job and marks its entry {@code retried_at}, keeping
	 * the entries, {@code batchSize} entries per two round trips so a long list is never held in
	 * memory. Entries that moved meanwhile are skipped.
	 * @param batchSize entries per batch, at most {@link #MAX_PAGE_SIZE}
	 * @return how many were re-enqueued
	 */
	public long retryAllMarked(int batchSize) {
		int size = Math.max(1, Math.min(batchSize, MAX_PAGE_SIZE));
		String retriedAt = ResqueTimes.retriedAt(this.settings.clock().instant());
		long retried = 0;
		long total = count();
		for (long offset = 0; offset < total; offset += size) {
			List<String> keys = new ArrayList<>(List.of(this.settings.keys().failed(), this.settings.keys().queues()));
			List<String> args = new ArrayList<>();
			for (FailedJob job : list(offset, size)) {
				String queue = job.entry().queue();
				if (queue.isEmpty()) {
					continue;
				}
				keys.add(this.settings.keys().queue(queue));
				args.addAll(List.of(Long.toString(job.index()), job.raw(),
						this.settings.codec().withRetriedAt(job.raw(), retriedAt), job.entry().payload(), queue));
			}
			if (!args.isEmpty()) {
				retried += replaceAll(keys, args);
			}
		}
		return retried;
	}

	/** Removes every entry. @return how many there were */
	public long clear() {
		long count = count();
		this.redis.execute((connection) -> connection.keyCommands().del(BusRedis.bytes(this.settings.keys().failed())));
		return count;
	}

	private boolean replace(FailedJob job, String newEntry, boolean requeue) {
		BusKeys keys = this.settings.keys();
		String queue = job.entry().queue();
		boolean canRequeue = requeue && !queue.isEmpty();
		if (requeue && !canRequeue) {
			throw new IllegalStateException("Failed entry " + job.index() + " names no queue to retry on");
		}
		return replaceAll(List.of(keys.failed(), keys.queues(), keys.queue(canRequeue ? queue : "_")),
				List.of(Long.toString(job.index()), job.raw(), newEntry, canRequeue ? job.entry().payload() : "",
						queue)) == 1;
	}

	/**
	 * Runs failed-replace.lua; in cluster mode, where the queues live in other slots than the failed
	 * list, entry by entry: the entry is checked, its payload re-enqueued, then the entry replaced
	 * (if still the one read). An entry that moved in between may have been re-enqueued once more.
	 */
	private long replaceAll(List<String> keys, List<String> args) {
		if (!this.redis.cluster()) {
			return ((Number) this.redis.run(REPLACE, keys, args).get(0)).longValue();
		}
		String failed = this.settings.keys().failed();
		return this.redis.execute((connection) -> {
			long done = 0;
			for (int i = 0; i + 4 < args.size(); i += 5) {
				String index = args.get(i);
				String read = args.get(i + 1);
				String payload = args.get(i + 3);
				Object current = SlotSteps.call(connection, failed, "LINDEX", index);
				if (!read.equals(current)) {
					continue;
				}
				if (!payload.isEmpty()) {
					SlotSteps.enqueue(connection, this.settings.keys(), args.get(i + 4),
							List.of(BusRedis.bytes(payload)));
				}
				List<@Nullable Object> reply = BusRedis.run(connection, REPLACE, List.of(failed),
						List.of(index, read, args.get(i + 2), "", args.get(i + 4)));
				done += ((Number) reply.get(0)).longValue();
			}
			return done;
		});
	}

	/**
	 * The failed list's length and one page of it.
	 * @param total how many entries the list holds
	 * @param items the page, oldest first
	 */
	public record FailedPage(long total, List<FailedJobPreview> items) {
	}

	private FailureEntry parse(String entry) {
		try {
			return this.settings.codec().parseFailure(entry);
		}
		catch (RuntimeException ex) {
			return new FailureEntry("", entry, "", "Unreadable failure entry: " + ex.getMessage(), List.of(), "", "");
		}
	}

}
