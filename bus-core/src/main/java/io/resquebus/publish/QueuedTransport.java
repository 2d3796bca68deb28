package io.resquebus.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.RedisCallTimeoutException;
import io.resquebus.redis.RedisErrors;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;

/**
 * The default, {@code queued} mode, as queue-bus publishes: events go onto {@code bus_incoming},
 * where a driver (Java or Ruby) fans them out; delayed events go to resque-scheduler's delayed set.
 * With partitions of {@code bus_incoming} ({@link BusKeys#incomingQueues()}, Java drivers only),
 * each send, and each round trip shared by asynchronous sends, goes to the next partition in turn.
 * <p>
 * A publish waits at most the publish timeout for Redis, whatever the client's own command
 * timeout (Lettuce's default is 60 s, during which commands queue while Redis is away), so that a
 * request thread is not held up by an outage; then it fails with a
 * {@link BusPublishTimeoutException}. With a client other than Lettuce, the client's own timeout
 * applies.
 * <p>
 * On Lettuce's shared connection, concurrent publishes pipeline, and asynchronous ones share
 * round trips (see {@link GroupCommit}): a few sends are pipelined at once, further events leave
 * together.
 * <p>
 * While Redis fails over (Sentinel promoting a replica: {@code READONLY}, {@code NOREPLICAS}, closed
 * connections), a publish sends the same events again with a back-off until the publish timeout.
 */
public class QueuedTransport implements EventTransport {

	/** How long a publish waits for Redis unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	private static final BusScript DELAY = BusScript.load("delay");

	/** First pause before a send that met a failing-over Redis is tried again; doubles up to the max. */
	private static final long MIN_RETRY_BACKOFF_NANOS = Duration.ofMillis(20).toNanos();

	private static final long MAX_RETRY_BACKOFF_NANOS = Duration.ofMillis(500).toNanos();

	protected final BusRedis redis;

	protected final BusSettings settings;

	/** How long one publish waits for Redis in all. */
	protected final Duration timeout;

	/** Counts sends, to spread them over the partitions of {@code bus_incoming}. */
	private final AtomicInteger sends = new AtomicInteger();

	/** Shares round trips between publishes; {@code null} when the connection is not shared. */
	private final @Nullable GroupCommit commits;

	/**
	 * @param timeout how long one publish waits for Redis before giving up, positive
	 */
	public QueuedTransport(BusRedis redis, BusSettings settings, Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("Publish timeout must be positive, was " + timeout);
		}
		this.redis = redis;
		this.settings = settings;
		this.timeout = timeout;
		// On a cluster each publish is a sequence of single-slot steps, sent one after the other.
		this.commits = (redis.pipelines() && !redis.cluster()) ? new GroupCommit(this::enqueue) : null;
	}

	/** A transport waiting at most {@link #DEFAULT_TIMEOUT} for Redis. */
	public QueuedTransport(BusRedis redis, BusSettings settings) {
		this(redis, settings, DEFAULT_TIMEOUT);
	}

	/**
	 * Returns once Redis stored the jobs. Sent at once on the shared connection, where the sends of
	 * concurrent callers pipeline: none waits for another's reply to be sent.
	 */
	@Override
	public void send(List<String> jobs, String what) {
		String incoming = nextIncoming();
		retrying(what, (remaining) -> {
			if (this.redis.cluster()) {
				SlotSteps.enqueue(this.redis, remaining, this.settings.keys(), incoming, jobs);
			}
			else {
				this.redis.push(this.settings.keys().queues(), incoming, this.settings.keys().queue(incoming), jobs,
						remaining);
			}
		});
	}

	/**
	 * The incoming queue of the next send: {@code bus_incoming}, or with partitions each in turn, so
	 * the events of one send stay together.
	 */
	protected String nextIncoming() {
		List<String> incoming = this.settings.keys().incomingQueues();
		if (incoming.size() == 1) {
			return incoming.get(0);
		}
		return incoming.get(Math.floorMod(this.sends.getAndIncrement(), incoming.size()));
	}

	/**
	 * Runs a send until it succeeds, retrying the same command with a back-off while Redis fails
	 * over ({@link RedisErrors#isTransient}: {@code READONLY}, {@code NOREPLICAS}, a lost
	 * connection...) and the publish timeout is not spent; the events keep their {@code bus_id}s,
	 * so an attempt that reached Redis before its connection broke leaves at most a repeat.
	 * @param attempt one send, given the time left
	 * @throws BusPublishTimeoutException when Redis still failed over at the end of the publish timeout
	 */
	protected void retrying(String what, Consumer<Duration> attempt) {
		retrying(what, System.nanoTime() + this.timeout.toNanos(), attempt);
	}

	/**
	 * Runs a send as {@link #retrying(String, Consumer)} does, until a deadline.
	 * @param deadline the end of the publish timeout, in {@link System#nanoTime()}
	 */
	protected void retrying(String what, long deadline, Consumer<Duration> attempt) {
		long backoff = MIN_RETRY_BACKOFF_NANOS;
		int attempts = 0;
		while (true) {
			attempts++;
			try {
				attempt.accept(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
				return;
			}
			catch (DataAccessException ex) {
				this.redis.failed(ex);
				String reason = RedisErrors.transientReason(ex);
				long left = deadline - System.nanoTime();
				// The client's own command timeout (shorter than the publish timeout: a paused or
				// hung master) is retried too; the publish timeout itself ends the attempts.
				boolean clientTimeout = ex instanceof QueryTimeoutException
						&& !(ex instanceof RedisCallTimeoutException);
				if ((reason == null && !clientTimeout) || ex instanceof RedisCallTimeoutException) {
					throw (attempts > 1 && ex instanceof RedisCallTimeoutException) ? failedOver(what, ex, attempts)
							: failure(what, ex);
				}
				if (left <= backoff) {
					throw failedOver(what, ex, attempts);
				}
				LockSupport.parkNanos(backoff);
				backoff = Math.min(MAX_RETRY_BACKOFF_NANOS, backoff * 2);
			}
		}
	}

	/** A publish that met only failover errors until its timeout: its outcome is not certain. */
	private BusPublishTimeoutException failedOver(String what, DataAccessException last, int attempts) {
		return new BusPublishTimeoutException("Could not publish " + what + " to Redis at " + this.redis.describe()
				+ " within the publish timeout of " + this.timeout.toMillis() + " ms: " + attempts
				+ " attempt(s) met a failing-over Redis, the last " + BusRedis.explain(last)
				+ "; publish again with the same bus_id (an earlier attempt may have reached Redis)", this.timeout,
				last);
	}

	/** Asynchronous sends share round trips: see {@link GroupCommit}. */
	@Override
	public CompletableFuture<Void> sendAsync(List<String> jobs, String what) {
		if (this.commits == null) {
			return EventTransport.synchronously(() -> send(jobs, what));
		}
		CompletableFuture<Void> result = new CompletableFuture<>();
		submit(this.commits, jobs, what, System.nanoTime() + this.timeout.toNanos(), MIN_RETRY_BACKOFF_NANOS, 1,
				result);
		return result;
	}

	/** One asynchronous attempt; a failover error is retried after a back-off, as {@link #retrying} does. */
	private void submit(GroupCommit commits, List<String> jobs, String what, long deadline, long backoff, int attempt,
			CompletableFuture<Void> result) {
		Duration remaining = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
		commits.submit(jobs, remaining).whenComplete((ignored, failure) -> {
			Throwable cause = GroupCommit.unwrap(failure);
			if (cause == null) {
				result.complete(null);
				return;
			}
			if (!(cause instanceof DataAccessException ex)) {
				result.completeExceptionally(cause);
				return;
			}
			// Not in the client's I/O thread, which a reset of the connection would wait for.
			CompletableFuture.runAsync(() -> this.redis.failed(ex));
			boolean transientFailure = RedisErrors.isTransient(ex) && !(ex instanceof RedisCallTimeoutException);
			if (!transientFailure) {
				result.completeExceptionally((attempt > 1 && ex instanceof RedisCallTimeoutException)
						? failedOver(what, ex, attempt) : failure(what, ex));
			}
			else if (deadline - System.nanoTime() <= backoff) {
				result.completeExceptionally(failedOver(what, ex, attempt));
			}
			else {
				// Not from the client's I/O thread, which completes this.
				CompletableFuture.delayedExecutor(backoff, TimeUnit.NANOSECONDS)
					.execute(() -> submit(commits, jobs, what, deadline,
							Math.min(MAX_RETRY_BACKOFF_NANOS, backoff * 2), attempt + 1, result));
			}
		});
	}

	private CompletableFuture<?> enqueue(List<String> jobs, Duration timeout) {
		String incoming = nextIncoming();
		BusKeys keys = this.settings.keys();
		return this.redis.pushAsync(keys.queues(), incoming, keys.queue(incoming), jobs, timeout);
	}

	@Override
	public void schedule(long due, Map<String, Object> delayed, String what) {
		BusKeys keys = this.settings.keys();
		String item = this.settings.codec().delayedItem(delayed, nextIncoming());
		retrying(what, (remaining) -> {
			if (this.redis.cluster()) {
				SlotSteps.delay(this.redis, remaining, keys, due, item);
			}
			else {
				this.redis.run(DELAY, List.of(keys.delayed(due), keys.timestamps(item), keys.delayedSchedule()),
						List.of(Long.toString(due), item, BusKeys.delayedMember(due)), remaining);
			}
		});
	}

	/**
	 * The exception a publisher gets when Redis did not take what it sent: a
	 * {@link BusPublishTimeoutException} when it did not answer in time.
	 */
	protected BusPublishException failure(String what, DataAccessException ex) {
		if (ex instanceof RedisCallTimeoutException) {
			return new BusPublishTimeoutException("Could not publish " + what + " to Redis at "
					+ this.redis.describe() + ": no reply within the publish timeout of " + this.timeout.toMillis()
					+ " ms; the command was cancelled (if it had already reached Redis, the event may still be"
					+ " published)", this.timeout, ex);
		}
		return new BusPublishException(
				"Could not publish " + what + " to Redis at " + this.redis.describe() + ": " + BusRedis.explain(ex), ex);
	}

}
