package io.resquebus.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.RedisCallTimeoutException;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * The default, {@code queued} mode, as queue-bus publishes: events go onto {@code bus_incoming},
 * where a driver (Java or Ruby) fans them out; delayed events go to resque-scheduler's delayed set.
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
 */
public class QueuedTransport implements EventTransport {

	/** How long a publish waits for Redis unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	private static final BusScript ENQUEUE = BusScript.load("enqueue");

	private static final BusScript DELAY = BusScript.load("delay");

	protected final BusRedis redis;

	protected final BusSettings settings;

	/** How long one publish waits for Redis in all. */
	protected final Duration timeout;

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
		try {
			if (this.redis.cluster()) {
				SlotSteps.enqueue(this.redis, this.timeout, this.settings.keys(), BusKeys.INCOMING_QUEUE, jobs);
				return;
			}
			this.redis.run(ENQUEUE, enqueueKeys(), enqueueArgs(jobs), this.timeout);
		}
		catch (DataAccessException ex) {
			throw failure(what, ex);
		}
	}

	/** Asynchronous sends share round trips: see {@link GroupCommit}. */
	@Override
	public CompletableFuture<Void> sendAsync(List<String> jobs, String what) {
		if (this.commits == null) {
			return EventTransport.synchronously(() -> send(jobs, what));
		}
		CompletableFuture<Void> result = new CompletableFuture<>();
		this.commits.submit(jobs, this.timeout).whenComplete((ignored, failure) -> {
			Throwable cause = GroupCommit.unwrap(failure);
			if (cause == null) {
				result.complete(null);
			}
			else {
				result.completeExceptionally((cause instanceof DataAccessException ex) ? failure(what, ex) : cause);
			}
		});
		return result;
	}

	private CompletableFuture<?> enqueue(List<String> jobs, Duration timeout) {
		return this.redis.runAsync(ENQUEUE, enqueueKeys(), enqueueArgs(jobs), timeout);
	}

	private List<String> enqueueKeys() {
		BusKeys keys = this.settings.keys();
		return List.of(keys.queues(), keys.queue(BusKeys.INCOMING_QUEUE));
	}

	private static List<String> enqueueArgs(List<String> jobs) {
		List<String> args = new ArrayList<>(jobs.size() + 1);
		args.add(BusKeys.INCOMING_QUEUE);
		args.addAll(jobs);
		return args;
	}

	@Override
	public void schedule(long due, Map<String, Object> delayed, String what) {
		BusKeys keys = this.settings.keys();
		String item = this.settings.codec().delayedItem(delayed, BusKeys.INCOMING_QUEUE);
		try {
			if (this.redis.cluster()) {
				SlotSteps.delay(this.redis, this.timeout, keys, due, item);
				return;
			}
			this.redis.run(DELAY, List.of(keys.delayed(due), keys.timestamps(item), keys.delayedSchedule()),
					List.of(Long.toString(due), item, BusKeys.delayedMember(due)), this.timeout);
		}
		catch (DataAccessException ex) {
			throw failure(what, ex);
		}
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
