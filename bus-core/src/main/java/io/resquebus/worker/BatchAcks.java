package io.resquebus.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.redis.FetchedJob;
import io.resquebus.redis.QueueFetcher;
import io.resquebus.runner.ConsumerRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * The jobs of a batch that ran and wait for their acknowledgement, which they get together in one
 * script: when the batch ends, or before the next job starts once the oldest has waited
 * {@link #MAX_WAIT}. At the end of a batch they go with the consumer's next fetch, in its script
 * ({@link #handOver()}). A crash in between re-runs them (at most the batch's finished jobs, never
 * losing one); a long batch holds them no longer than that.
 */
final class BatchAcks {

	/** How long a finished job waits for its acknowledgement while its batch goes on. */
	static final Duration MAX_WAIT = Duration.ofSeconds(1);

	private final QueueFetcher fetcher;

	private final @Nullable ConsumerRegistry registry;

	private final List<FetchedJob> jobs = new ArrayList<>();

	private final List<String> retryCounters = new ArrayList<>();

	private long oldest;

	BatchAcks(QueueFetcher fetcher, @Nullable ConsumerRegistry registry) {
		this.fetcher = fetcher;
		this.registry = registry;
	}

	/** A job that ran (or had nothing to run) and is done. */
	void add(FetchedJob job, @Nullable String retryCounter) {
		if (this.jobs.isEmpty()) {
			this.oldest = System.nanoTime();
		}
		this.jobs.add(job);
		if (retryCounter != null) {
			this.retryCounters.add(retryCounter);
		}
	}

	/** Acknowledges the waiting jobs if the oldest has waited {@link #MAX_WAIT}. */
	void flushIfDue(RedisConnection connection) {
		if (!this.jobs.isEmpty() && System.nanoTime() - this.oldest >= MAX_WAIT.toNanos()) {
			flush(connection, false);
		}
	}

	/**
	 * At the end of a batch: leaves the waiting jobs, and the consumer's job record, to the consumer's
	 * next fetch, which acknowledges them in the same script ({@link QueueFetcher#ackWithNextFetch}).
	 */
	void handOver() {
		String consumerId = this.fetcher.consumerId();
		// the registry whose record of the consumer goes, or null for none
		ConsumerRegistry record = (this.registry != null && this.registry.shows(consumerId)) ? this.registry : null;
		if (this.jobs.isEmpty() && record == null) {
			return;
		}
		this.fetcher.ackWithNextFetch(this.jobs, this.retryCounters, record != null);
		this.jobs.clear();
		this.retryCounters.clear();
		if (record != null) {
			record.idle(consumerId);
		}
	}

	/** Acknowledges the waiting jobs; at the end of the batch also deletes the consumer's job record. */
	void flush(RedisConnection connection, boolean batchOver) {
		String consumerId = this.fetcher.consumerId();
		// the registry whose record of the consumer goes, or null for none
		ConsumerRegistry record = (batchOver && this.registry != null && this.registry.shows(consumerId))
				? this.registry : null;
		if (this.jobs.isEmpty() && record == null) {
			return;
		}
		this.fetcher.complete(connection, this.jobs, this.retryCounters, batchOver);
		this.jobs.clear();
		this.retryCounters.clear();
		if (record != null) {
			record.idle(consumerId);
		}
	}

}
