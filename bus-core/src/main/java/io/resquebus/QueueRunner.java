package io.resquebus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.failure.Failures;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.FetchedJob;
import io.resquebus.redis.QueueFetcher;
import io.resquebus.wire.OversizedJobException;
import io.resquebus.worker.ConsumerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Base of the runners that consume queues (driver and worker): one reliable {@link QueueFetcher}
 * per consumer, registered (lease and Resque worker entry) before it fetches, its own leftovers
 * put back before it fetches, unregistered when it stops cleanly. Jobs over the maximum payload
 * size go to the failed list before {@link #handle} sees them.
 */
public abstract class QueueRunner extends BusRunner {

	protected final BusSettings settings;

	private final int batchSize;

	private final Duration blockTimeout;

	// Guarded by itself: each consumer sets its own entry while any thread may read consumerIds().
	private final List<@Nullable QueueFetcher> fetchers = new ArrayList<>();

	private @Nullable ConsumerRegistry registry;

	private volatile long maxFailed = DEFAULT_MAX_FAILED;

	private final AtomicLong trimmedFailures = new AtomicLong();

	/** How many entries the failed list keeps unless told otherwise. */
	public static final long DEFAULT_MAX_FAILED = 100_000;

	private volatile long maxPayloadSize;

	private volatile BusListener listener = BusListener.NONE;

	/** How often a consumer reads Resque's {@code pause-all-workers}. */
	private static final long PAUSE_KEY_CHECK_NANOS = Duration.ofSeconds(1).toNanos();

	private final PauseKeyCheck pauseKeyCheck = new PauseKeyCheck();

	protected QueueRunner(BusRedis redis, String name, BusSettings settings, int batchSize, Duration blockTimeout) {
		super(redis, name);
		this.settings = settings;
		this.batchSize = batchSize;
		this.blockTimeout = fitBlockTimeout(blockTimeout, redis.commandTimeout());
	}

	/**
	 * The largest job, in UTF-8 bytes, this runner parses; bigger ones go to the failed list with
	 * their size as the reason. 0 (the default) means no limit.
	 */
	public void setMaxPayloadSize(long maxPayloadSize) {
		this.maxPayloadSize = Math.max(0, maxPayloadSize);
	}

	/** The largest job in UTF-8 bytes this runner parses; 0 means no limit. */
	public long maxPayloadSize() {
		return this.maxPayloadSize;
	}

	/** Told of the jobs this runner drives, handles and fails (metrics, tracing); none by default. */
	public void setListener(BusListener listener) {
		this.listener = listener;
	}

	protected BusListener listener() {
		return this.listener;
	}

	/** Where consumers register; without one they are invisible to resque-web and to recovery. */
	public void setConsumerRegistry(@Nullable ConsumerRegistry registry) {
		this.registry = registry;
	}

	protected @Nullable ConsumerRegistry consumerRegistry() {
		return this.registry;
	}

	/** Most entries the failed list keeps; beyond it the oldest are dropped (counted and logged). 0: no limit. */
	public void setMaxFailed(long maxFailed) {
		this.maxFailed = Math.max(0, maxFailed);
	}

	/** How many old failure entries this runner dropped to keep the failed list within its maximum. */
	public long trimmedFailures() {
		return this.trimmedFailures.get();
	}

	/**
	 * Sends a job to the failed list in Resque's format with the reason, and goes on.
	 */
	protected void fail(RedisConnection connection, QueueFetcher fetcher, FetchedJob job, Throwable reason) {
		fail(connection, fetcher, job, reason, null);
	}

	/**
	 * Sends a job to the failed list, as {@link #fail(RedisConnection, QueueFetcher, FetchedJob, Throwable)},
	 * deleting its resque-retry counter in the same step.
	 * @param retryCounter the job's counter key, or {@code null} when it has none
	 */
	protected void fail(RedisConnection connection, QueueFetcher fetcher, FetchedJob job, Throwable reason,
			@Nullable String retryCounter) {
		this.logger.warn("Job on {} failed and goes to the failed list: {}", job.queue(), reason.toString());
		String entry = this.settings.codec()
			.failure(Failures.entry(job.raw(), job.queue(), fetcher.consumerId(), reason, this.settings.clock()));
		int trimmed = fetcher.fail(connection, job, entry, this.maxFailed, retryCounter);
		BusListener listener = this.listener;
		if (listener != BusListener.NONE) {
			listener.failed(job.queue(), eventTypeOf(job), reason);
		}
		if (trimmed > 0) {
			this.trimmedFailures.addAndGet(trimmed);
			this.logger.warn("The failed list is over its maximum of {} entries: dropped the {} oldest", this.maxFailed,
					trimmed);
		}
	}

	private @Nullable String eventTypeOf(FetchedJob job) {
		try {
			return this.settings.codec().parseJob(job.raw()).eventType();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** How long an idle fetch blocks on Redis: as configured, or half the client's command timeout if less. */
	public Duration blockTimeout() {
		return this.blockTimeout;
	}

	/** The queues to consume, highest priority first; asked when the first consumer starts. */
	protected abstract List<String> queues();

	/** Handles a fetched batch; every job must end acknowledged, failed or handed back. */
	protected abstract void handle(RedisConnection connection, QueueFetcher fetcher, List<FetchedJob> batch);

	/** The consumer ids (Resque worker ids) of this runner, as failure entries and stats name them. */
	public List<String> consumerIds() {
		synchronized (this.fetchers) {
			return this.fetchers.stream().filter(Objects::nonNull).map(QueueFetcher::consumerId).toList();
		}
	}

	/**
	 * The queues to consume now, for runners whose queue list changes at runtime (Resque's
	 * {@code *}); asked before each fetch, so it must be cheap most of the time. Empty: nothing to
	 * consume yet.
	 */
	protected List<String> queues(RedisConnection connection) {
		return queues();
	}

	/** Paused by this runner's own switch or by Resque's {@code pause-all-workers}. */
	@Override
	public boolean isPaused() {
		return super.isPaused() || this.pauseKeyCheck.paused;
	}

	@Override
	protected boolean pausedExternally(RedisConnection connection) {
		return this.pauseKeyCheck.paused(connection, this.settings.keys().pauseAllWorkers());
	}

	@Override
	protected void prepare(int consumer, RedisConnection connection) {
		QueueFetcher fetcher = existingFetcher(consumer);
		if (fetcher == null) {
			// First start of this consumer; a fetcher it had before (restart, Redis outage) is kept,
			// so its leftovers go back below, and poll() moves it to a changed queue list.
			List<String> queues = queues(connection);
			while (queues.isEmpty() && isRunning()) {
				LockSupport.parkNanos(this.blockTimeout.toNanos());
				queues = queues(connection);
			}
			if (queues.isEmpty()) {
				return;
			}
			fetcher = fetcher(consumer, queues);
		}
		if (this.registry != null) {
			this.registry.register(connection, fetcher.consumerId());
		}
		int restored = fetcher.restoreOwn(connection);
		if (restored > 0) {
			this.logger.info("Put {} unfinished job(s) of {} back on {}", restored, fetcher.consumerId(),
					fetcher.queues());
		}
	}

	@Override
	protected void poll(int consumer, RedisConnection connection) {
		QueueFetcher fetcher = fetcher(consumer);
		List<String> queues = queues(connection);
		if (!queues.equals(fetcher.queues())) {
			fetcher = switchQueues(consumer, connection, fetcher, queues);
			if (fetcher == null) {
				LockSupport.parkNanos(this.blockTimeout.toNanos());
				return;
			}
		}
		List<FetchedJob> batch = fetcher.fetch(connection);
		if (this.maxPayloadSize > 0 && !batch.isEmpty()) {
			batch = refuseOversized(connection, fetcher, batch);
		}
		if (!batch.isEmpty()) {
			handle(connection, fetcher, batch);
		}
	}

	@Override
	protected void finish(int consumer, RedisConnection connection) {
		QueueFetcher fetcher = existingFetcher(consumer);
		if (this.registry != null && fetcher != null) {
			this.registry.unregister(connection, fetcher.consumerId());
		}
	}

	private List<FetchedJob> refuseOversized(RedisConnection connection, QueueFetcher fetcher,
			List<FetchedJob> batch) {
		long max = this.maxPayloadSize;
		List<FetchedJob> accepted = new ArrayList<>(batch.size());
		for (FetchedJob job : batch) {
			long size = utf8Length(job.raw(), max);
			if (size <= max) {
				accepted.add(job);
				continue;
			}
			fail(connection, fetcher, job, new OversizedJobException(size, max));
		}
		return accepted;
	}

	/** The string's UTF-8 length, or its char count when that alone proves it within {@code max}. */
	static long utf8Length(String value, long max) {
		if ((long) value.length() * 3 <= max) {
			return value.length();
		}
		long bytes = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < value.length()
					&& Character.isLowSurrogate(value.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/**
	 * Spring Data Redis applies the client's command timeout to blocking commands too: a fetch
	 * blocking longer than it would fail as if Redis were down. So it blocks at most half of it.
	 */
	private Duration fitBlockTimeout(Duration blockTimeout, @Nullable Duration commandTimeout) {
		if (commandTimeout == null || commandTimeout.isZero() || commandTimeout.isNegative()) {
			return blockTimeout;
		}
		Duration limit = commandTimeout.dividedBy(2);
		if (blockTimeout.compareTo(limit) <= 0) {
			return blockTimeout;
		}
		this.logger.warn("Block timeout {} is not well below the Redis command timeout {}; idle fetches block for {}",
				blockTimeout, commandTimeout, limit);
		return limit;
	}

	/**
	 * Moves a consumer to a new queue list between fetches, when its in-flight lists are empty:
	 * a new consumer id (it names the queues, which recovery reads), registered in place of the old.
	 */
	private @Nullable QueueFetcher switchQueues(int consumer, RedisConnection connection, QueueFetcher old,
			List<String> queues) {
		if (this.registry != null) {
			this.registry.unregister(connection, old.consumerId());
		}
		if (queues.isEmpty()) {
			return null;
		}
		QueueFetcher fetcher = newFetcher(queues);
		synchronized (this.fetchers) {
			this.fetchers.set(consumer, fetcher);
		}
		if (this.registry != null) {
			this.registry.register(connection, fetcher.consumerId());
		}
		this.logger.info("Consumer {} now works {}", consumer, queues);
		return fetcher;
	}

	private QueueFetcher fetcher(int consumer) {
		QueueFetcher fetcher = existingFetcher(consumer);
		if (fetcher == null) {
			throw new IllegalStateException("Consumer " + consumer + " polls before it was prepared");
		}
		return fetcher;
	}

	private @Nullable QueueFetcher existingFetcher(int consumer) {
		synchronized (this.fetchers) {
			return (consumer < this.fetchers.size()) ? this.fetchers.get(consumer) : null;
		}
	}

	/** This consumer's fetcher, made (or remade) for the given queues if it has none for them. */
	private QueueFetcher fetcher(int consumer, List<String> queues) {
		synchronized (this.fetchers) {
			while (this.fetchers.size() <= consumer) {
				this.fetchers.add(null);
			}
			QueueFetcher fetcher = this.fetchers.get(consumer);
			if (fetcher == null || !fetcher.queues().equals(queues)) {
				fetcher = newFetcher(queues);
				this.fetchers.set(consumer, fetcher);
			}
			return fetcher;
		}
	}

	private QueueFetcher newFetcher(List<String> queues) {
		return new QueueFetcher(this.settings.keys(), queues, consumerId(this.settings.hostname(), queues),
				this.batchSize, this.blockTimeout);
	}

	/** The last reading of {@code pause-all-workers}, refreshed at most once a second per runner. */
	private static final class PauseKeyCheck {

		private volatile boolean paused;

		private volatile long checkedAt = System.nanoTime() - PAUSE_KEY_CHECK_NANOS;

		boolean paused(RedisConnection connection, String key) {
			long now = System.nanoTime();
			if (now - this.checkedAt >= PAUSE_KEY_CHECK_NANOS) {
				this.checkedAt = now;
				byte[] value = connection.stringCommands().get(BusRedis.bytes(key));
				this.paused = value != null && "true".equals(BusRedis.string(value).trim().toLowerCase(Locale.ROOT));
			}
			return this.paused;
		}

	}

}
