package io.resquebus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisListCommands.Direction;

/**
 * Reliable fetch from a list of queues in priority order: each job is moved atomically to a
 * per-consumer in-flight list ({@code {<P>queue:<q>}:inflight:<id>}) and leaves it only when
 * acknowledged, failed or handed back, so a consumer that dies loses nothing.
 */
public final class QueueFetcher {

	private static final BusScript FETCH = BusScript.load("fetch");

	private static final BusScript COMPLETE = BusScript.load("complete");

	private static final BusScript FAIL = BusScript.load("fail");

	private static final BusScript REQUEUE = BusScript.load("requeue");

	private static final BusScript RESTORE = BusScript.load("restore");

	private final BusKeys keys;

	private final List<String> queues;

	private final String consumerId;

	private final int batchSize;

	private final double blockSeconds;

	private final List<String> fetchKeys;

	/**
	 * @param queues queue names, highest priority first
	 * @param consumerId the worker id, unique per consumer thread
	 * @param batchSize how many jobs one round trip may move
	 * @param blockTimeout how long an idle fetch blocks on Redis before looking again at every queue
	 */
	public QueueFetcher(BusKeys keys, List<String> queues, String consumerId, int batchSize, Duration blockTimeout) {
		if (queues.isEmpty()) {
			throw new IllegalArgumentException("A fetcher needs at least one queue");
		}
		this.keys = keys;
		this.queues = List.copyOf(queues);
		this.consumerId = consumerId;
		this.batchSize = Math.max(1, batchSize);
		this.blockSeconds = Math.max(0.01, blockTimeout.toMillis() / 1000.0);
		List<String> fetchKeys = new ArrayList<>(queues.size() * 2);
		for (String queue : queues) {
			fetchKeys.add(keys.queue(queue));
			fetchKeys.add(keys.inflight(queue, consumerId));
		}
		this.fetchKeys = List.copyOf(fetchKeys);
	}

	public String consumerId() {
		return this.consumerId;
	}

	public List<String> queues() {
		return this.queues;
	}

	/**
	 * Takes up to a batch of jobs, higher queues first. When every queue is empty it blocks on the
	 * highest-priority queue for at most the block timeout, so an idle consumer waits on Redis
	 * instead of polling; an empty list means nothing arrived in that time.
	 */
	public List<FetchedJob> fetch(RedisConnection connection) {
		List<FetchedJob> jobs = fetchNow(connection);
		if (!jobs.isEmpty()) {
			return jobs;
		}
		String first = this.queues.get(0);
		byte[] job = connection.listCommands()
			.bLMove(BusRedis.bytes(this.keys.queue(first)), BusRedis.bytes(this.keys.inflight(first, this.consumerId)),
					Direction.LEFT, Direction.RIGHT, this.blockSeconds);
		if (job == null) {
			return (this.queues.size() > 1) ? fetchNow(connection) : List.of();
		}
		List<FetchedJob> batch = new ArrayList<>();
		batch.add(new FetchedJob(first, BusRedis.string(job)));
		if (this.batchSize > 1) {
			batch.addAll(fetchNow(connection));
		}
		return batch;
	}

	private List<FetchedJob> fetchNow(RedisConnection connection) {
		List<@Nullable Object> reply = BusRedis.run(connection, FETCH, this.fetchKeys,
				List.of(Integer.toString(this.batchSize)));
		List<FetchedJob> jobs = new ArrayList<>(reply.size() / 2);
		for (int i = 0; i + 1 < reply.size(); i += 2) {
			int queueIndex = ((Number) reply.get(i)).intValue() - 1;
			jobs.add(new FetchedJob(this.queues.get(queueIndex), String.valueOf(reply.get(i + 1))));
		}
		return jobs;
	}

	/** Acknowledges a job that ran: out of the in-flight list, counted as processed. */
	public void complete(RedisConnection connection, FetchedJob job) {
		BusRedis.run(connection, COMPLETE, List.of(this.keys.inflight(job.queue(), this.consumerId),
				this.keys.statProcessed(), this.keys.statProcessed(this.consumerId), this.keys.worker(this.consumerId)),
				List.of(job.raw()));
	}

	/**
	 * Moves a job to the failed list with its failure entry, counted as processed and failed.
	 * @param maxFailed most entries the failed list keeps (the oldest go first); 0 for no limit
	 * @return how many old entries were dropped to stay within the limit
	 */
	public int fail(RedisConnection connection, FetchedJob job, String failureEntryJson, long maxFailed) {
		List<@Nullable Object> reply = BusRedis.run(connection, FAIL,
				List.of(this.keys.inflight(job.queue(), this.consumerId), this.keys.failed(), this.keys.statProcessed(),
						this.keys.statProcessed(this.consumerId), this.keys.statFailed(),
						this.keys.statFailed(this.consumerId), this.keys.worker(this.consumerId)),
				List.of(job.raw(), failureEntryJson, Long.toString(maxFailed)));
		return reply.isEmpty() ? 0 : ((Number) reply.get(0)).intValue();
	}

	/** Hands fetched jobs that never started back to the head of their queues, in order. */
	public void requeue(RedisConnection connection, List<FetchedJob> jobs) {
		for (String queue : this.queues) {
			List<String> raws = jobs.stream().filter((job) -> job.queue().equals(queue)).map(FetchedJob::raw).toList();
			if (!raws.isEmpty()) {
				BusRedis.run(connection, REQUEUE,
						List.of(this.keys.inflight(queue, this.consumerId), this.keys.queue(queue)), raws);
			}
		}
	}

	/**
	 * Puts back whatever this consumer's in-flight lists still hold, at the head of their queues.
	 * Called before fetching, when no job of this consumer runs.
	 * @return how many jobs went back
	 */
	public int restoreOwn(RedisConnection connection) {
		int restored = 0;
		for (String queue : this.queues) {
			List<@Nullable Object> reply = BusRedis.run(connection, RESTORE,
					List.of(this.keys.inflight(queue, this.consumerId), this.keys.queue(queue)), List.of());
			restored += reply.isEmpty() ? 0 : ((Number) reply.get(0)).intValue();
		}
		return restored;
	}

}
