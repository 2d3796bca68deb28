package io.resquebus.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.resquebus.BusListener;
import io.resquebus.BusSettings;
import io.resquebus.RateLimitedLog;
import io.resquebus.failure.Failures;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.FetchedBatch;
import io.resquebus.redis.FetchedJob;
import io.resquebus.redis.QueueFetcher;
import io.resquebus.redis.QueueWakeUp;
import io.resquebus.redis.SizeLimit;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.MalformedJobException;
import io.resquebus.wire.OversizedJobException;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Base of the runners that consume queues (driver and worker): one reliable {@link QueueFetcher}
 * per consumer, registered (lease and Resque worker entry) before it fetches, its own leftovers
 * put back before it fetches, and again when it stops cleanly, before it unregisters. Jobs over the
 * maximum payload size go to the failed list inside Redis, from the fetch script, never loaded here;
 * jobs that are not UTF-8 go there before {@link #handle} sees them. A stop that outlasts the shutdown
 * timeout gives back the fetched jobs not yet started; a consumer that dies stops renewing its lease.
 */
public abstract class QueueRunner extends BusRunner {

	protected final BusSettings settings;

	private final int batchSize;

	private final Duration blockTimeout;

	// Guarded by itself: each consumer sets its own entry while any thread may read consumerIds().
	private final List<@Nullable QueueFetcher> fetchers = new ArrayList<>();

	private final Map<Integer, FetchedBatch> batches = new ConcurrentHashMap<>();

	private @Nullable ConsumerRegistry registry;

	private volatile long maxFailed = DEFAULT_MAX_FAILED;

	private volatile long maxFailedBytes = DEFAULT_MAX_FAILED_BYTES;

	private final AtomicLong trimmedFailures = new AtomicLong();

	/** How many bytes of Redis memory the failed list takes at most unless told otherwise: 64 MB. */
	public static final long DEFAULT_MAX_FAILED_BYTES = 64L * 1024 * 1024;

	// A failing flood at the cap drops one entry per failure: one line a minute says how many.
	private final RateLimitedLog trimWarnings = new RateLimitedLog(this.logger, RateLimitedLog.DEFAULT_INTERVAL);

	/** How many entries the failed list keeps unless told otherwise. */
	public static final long DEFAULT_MAX_FAILED = 100_000;

	private volatile long maxPayloadSize;

	private volatile BusListener listener = BusListener.NONE;

	private volatile @Nullable QueueWakeUp wakeUp;

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
	 * The largest job, in bytes, this runner takes; bigger ones never leave Redis: the fetch script
	 * moves them to the failed list with their first {@value SizeLimit#KEPT_BYTES} bytes and their size.
	 * 0 (the default) means no limit, and lets an idle consumer block on Redis instead of looking
	 * at its queues at short intervals (see {@link QueueFetcher#fetch}). Set before starting.
	 */
	public void setMaxPayloadSize(long maxPayloadSize) {
		this.maxPayloadSize = Math.max(0, maxPayloadSize);
	}

	/**
	 * What cuts short the pauses of idle consumers with a size limit when their queues are written
	 * to (see {@link QueueWakeUp}); none by default: they only pause. Set before starting.
	 */
	public void setWakeUp(@Nullable QueueWakeUp wakeUp) {
		this.wakeUp = wakeUp;
	}

	/** The largest job in bytes this runner takes; 0 means no limit. */
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

	/**
	 * Most bytes the failed list takes in Redis (its {@code MEMORY USAGE}); beyond it the oldest
	 * entries are dropped (counted and logged), the newest always stays. 0: no limit.
	 */
	public void setMaxFailedBytes(long maxFailedBytes) {
		this.maxFailedBytes = Math.max(0, maxFailedBytes);
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
		int trimmed = fetcher.fail(connection, job, entry, this.maxFailed, this.maxFailedBytes, retryCounter);
		BusListener listener = this.listener;
		if (listener != BusListener.NONE) {
			listener.failed(job.queue(), eventTypeOf(job), reason);
		}
		trimmed(trimmed);
	}

	private void trimmed(int trimmed) {
		if (trimmed > 0) {
			this.trimmedFailures.addAndGet(trimmed);
			this.trimWarnings.warn(trimmed,
					"The failed list is over its maximum of {} entries or {} bytes ({} dropped in all): dropped the {} "
							+ "oldest in {} failure(s) since the last such warning",
					this.maxFailed, this.maxFailedBytes, this.trimmedFailures.get());
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

	/**
	 * Handles a fetched batch: starts its jobs through {@link FetchedBatch#peek()} and
	 * {@link FetchedBatch#start}, or all at once through {@link FetchedBatch#startAll()}, never
	 * otherwise, so a stop can take back those not started. Every job started must end acknowledged,
	 * failed or handed back, by its exact bytes.
	 */
	protected abstract void handle(RedisConnection connection, FetchedBatch batch);

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

	/** The queues one consumer works now; by default every consumer works {@link #queues(RedisConnection)}. */
	protected List<String> queues(int consumer, RedisConnection connection) {
		return queues(connection);
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
			List<String> queues = queues(consumer, connection);
			while (queues.isEmpty() && isRunning()) {
				LockSupport.parkNanos(this.blockTimeout.toNanos());
				queues = queues(consumer, connection);
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
		List<String> queues = queues(consumer, connection);
		if (!queues.equals(fetcher.queues())) {
			fetcher = switchQueues(consumer, connection, fetcher, queues);
			if (fetcher == null) {
				LockSupport.parkNanos(this.blockTimeout.toNanos());
				return;
			}
		}
		QueueFetcher.Fetched fetched = fetcher.fetch(connection);
		if (!fetched.refused().isEmpty()) {
			refused(fetched);
		}
		List<FetchedJob> jobs = fetched.jobs();
		if (!jobs.isEmpty()) {
			jobs = refuseUndecodable(connection, fetcher, jobs);
		}
		if (jobs.isEmpty()) {
			return;
		}
		FetchedBatch batch = new FetchedBatch(fetcher, jobs);
		this.batches.put(consumer, batch);
		long started = System.nanoTime();
		try {
			handle(connection, batch);
		}
		finally {
			fetcher.handled(jobs.size(), System.nanoTime() - started);
			batch.done();
			this.batches.remove(consumer, batch);
			if (batch.isDetached()) {
				// Left behind by a stop (and maybe replaced by a new start): it unregisters itself.
				leave(connection, fetcher);
			}
		}
	}

	/** A paused consumer acknowledges what its next fetch was to acknowledge: that fetch waits for the resume. */
	@Override
	protected void pausing(int consumer, RedisConnection connection) {
		QueueFetcher fetcher = existingFetcher(consumer);
		if (fetcher != null && fetcher.hasPendingAck()) {
			fetcher.flushAcks(connection);
		}
	}

	@Override
	protected void finish(int consumer, RedisConnection connection) {
		QueueFetcher fetcher = existingFetcher(consumer);
		if (fetcher != null) {
			leave(connection, fetcher);
		}
	}

	/** A stop never leaves an in-flight list behind: whatever is left goes back before unregistering. */
	private void leave(RedisConnection connection, QueueFetcher fetcher) {
		int restored = fetcher.restoreOwn(connection);
		if (restored > 0) {
			this.logger.warn("Put {} job(s) {} still held in flight back on {} when stopping", restored,
					fetcher.consumerId(), fetcher.queues());
		}
		if (this.registry != null) {
			this.registry.unregister(connection, fetcher.consumerId());
		}
		this.trimWarnings.flush();
	}

	/**
	 * Gives back the jobs the consumer fetched and has not started, so a handler that overruns the
	 * shutdown timeout keeps only its own job in flight. Its fetcher is set aside: a new start gets
	 * a new consumer id, so the job still running is never put back under it while it runs.
	 */
	@Override
	protected boolean overran(int consumer) {
		QueueFetcher fetcher;
		synchronized (this.fetchers) {
			fetcher = existingFetcher(consumer);
			if (fetcher != null) {
				this.fetchers.set(consumer, null);
			}
		}
		FetchedBatch batch = this.batches.get(consumer);
		if (batch == null) {
			if (fetcher != null && this.registry != null) {
				this.registry.abandon(fetcher.consumerId()); // waits on Redis: recovery takes over after its lease
			}
			return false;
		}
		List<FetchedJob> unstarted = batch.takeRest();
		boolean inJob = batch.detach();
		if (!unstarted.isEmpty()) {
			try {
				this.redis.execute((connection) -> {
					batch.fetcher().requeue(connection, unstarted);
					return null;
				});
				this.logger.info("Gave {} fetched job(s) of {} not started back to their queue", unstarted.size(),
						batch.fetcher().consumerId());
			}
			catch (RuntimeException ex) {
				this.logger.warn("Could not give {} unstarted job(s) of {} back ({}); they go back when its lease "
						+ "expires", unstarted.size(), batch.fetcher().consumerId(), describe(ex));
			}
		}
		if (!inJob && this.registry != null) {
			this.registry.abandon(batch.fetcher().consumerId());
		}
		return inJob;
	}

	/** A dead consumer's lease is no longer renewed: if it never comes back, recovery takes its jobs. */
	@Override
	protected void died(int consumer, Throwable error) {
		this.batches.remove(consumer);
		QueueFetcher fetcher = existingFetcher(consumer);
		if (fetcher != null && this.registry != null) {
			this.registry.abandon(fetcher.consumerId());
		}
	}

	private void refused(QueueFetcher.Fetched fetched) {
		for (QueueFetcher.Refused refused : fetched.refused()) {
			OversizedJobException reason = new OversizedJobException(refused.size(), this.maxPayloadSize);
			this.logger.warn("Job on {} went to the failed list without being loaded: {}", refused.queue(),
					reason.getMessage());
			BusListener listener = this.listener;
			if (listener != BusListener.NONE) {
				listener.failed(refused.queue(), null, reason);
			}
		}
		trimmed(fetched.trimmed());
	}

	/**
	 * Jobs whose bytes are not UTF-8 go to the failed list: Java would see U+FFFD where the bytes
	 * were, so a handler would run on other data than was published.
	 */
	private List<FetchedJob> refuseUndecodable(RedisConnection connection, QueueFetcher fetcher,
			List<FetchedJob> jobs) {
		List<FetchedJob> accepted = null;
		for (int i = 0; i < jobs.size(); i++) {
			FetchedJob job = jobs.get(i);
			String invalid = job.invalidUtf8();
			if (invalid != null) {
				if (accepted == null) {
					accepted = new ArrayList<>(jobs.subList(0, i));
				}
				fail(connection, fetcher, job, new MalformedJobException(invalid));
			}
			else if (accepted != null) {
				accepted.add(job);
			}
		}
		return (accepted != null) ? accepted : jobs;
	}

	/**
	 * Spring Data Redis applies the client's command timeout to blocking commands too: a fetch
	 * blocking longer than it would fail as if Redis were down. So it blocks at most half of it.
	 * Never 0, which Redis takes as "block forever": a fetch blocked on a demoted master would
	 * then wait until Sentinel drops its connection.
	 */
	private Duration fitBlockTimeout(Duration blockTimeout, @Nullable Duration commandTimeout) {
		if (blockTimeout.isNegative() || blockTimeout.isZero()) {
			throw new IllegalArgumentException("The block timeout of " + getClass().getSimpleName()
					+ " must be positive (Redis blocks forever on 0) and well below the Redis command timeout, was "
					+ blockTimeout);
		}
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
		old.flushAcks(connection);
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
		String consumerId = consumerId(this.settings.hostname(), queues);
		QueueFetcher fetcher = new QueueFetcher(this.settings.keys(), queues, consumerId, this.batchSize,
				this.blockTimeout, sizeLimit(consumerId, queues), this.wakeUp);
		fetcher.startWithOneJob();
		if (this.registry != null && showsJobs()) {
			fetcher.setJobRecord(this.registry.jobRecord(consumerId));
		}
		fetcher.readWithEachFetch(readWithEachFetch());
		return fetcher;
	}

	/**
	 * A key the consumers' fetches read in the same step as they move jobs (see
	 * {@link QueueFetcher#readWithEachFetch}); none by default.
	 */
	protected @Nullable String readWithEachFetch() {
		return null;
	}

	/**
	 * Whether consumers show the job they run in their job record ({@link ConsumerRegistry#working}),
	 * which their fetch script then writes for the first job of each batch; not by default.
	 */
	protected boolean showsJobs() {
		return false;
	}

	/** The fetch script's size limit, with the failure entry for a bigger job made here, in Resque's format. */
	private SizeLimit sizeLimit(String consumerId, List<String> queues) {
		if (this.maxPayloadSize <= 0) {
			return SizeLimit.NONE;
		}
		String[] marks = { "@resquebus-failed-at@", "@resquebus-payload@", "@resquebus-size@", "@resquebus-limit@" };
		String error = OversizedJobException.message(marks[2], marks[3]) + "; this entry keeps its first "
				+ SizeLimit.KEPT_BYTES + " bytes";
		List<String> parts = new ArrayList<>();
		for (String queue : queues) {
			String entry = this.settings.codec()
				.failure(new FailureEntry(marks[0], marks[1], OversizedJobException.class.getName(), error, List.of(),
						consumerId, queue));
			int from = 0;
			for (String mark : marks) {
				int at = entry.indexOf(mark, from);
				if (parts.size() < marks.length) {
					parts.add(entry.substring(from, at)); // the same for every queue: only the end names it
				}
				from = at + mark.length();
			}
			parts.add(entry.substring(from));
		}
		return new SizeLimit(this.maxPayloadSize, this.maxFailed, parts,
				() -> Failures.failedAt(this.settings.clock()));
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
