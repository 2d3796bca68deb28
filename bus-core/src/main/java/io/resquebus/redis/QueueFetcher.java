package io.resquebus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisListCommands.Direction;

/**
 * Reliable fetch from a list of queues in priority order: each job is moved atomically to a
 * per-consumer in-flight list ({@code {<P>queue:<q>}:inflight:<id>}) and leaves it only when
 * acknowledged, failed or handed back, so a consumer that dies loses nothing. Every removal names
 * the job by the exact bytes fetched ({@link FetchedJob#bytes()}), whatever they decode to.
 */
public final class QueueFetcher {

	private static final BusScript FETCH = BusScript.load("fetch");

	private static final byte[] ZERO = BusRedis.bytes("0");

	private static final BusScript COMPLETE = BusScript.load("complete");

	private static final BusScript FAIL = BusScript.load("fail");

	private static final BusScript RETRY = BusScript.load("retry");

	private static final BusScript REQUEUE = BusScript.load("requeue");

	private static final BusScript RESTORE = BusScript.load("restore");

	private static final BusScript FETCH_SLOT = BusScript.load("fetch-slot");

	private static final BusScript REMOVE_EACH = BusScript.load("remove-each");

	/** Longest pause between two looks at idle queues when jobs are size-checked (no blocking fetch then). */
	static final long MAX_IDLE_PARK_NANOS = Duration.ofMillis(50).toNanos();

	private static final long MIN_IDLE_PARK_NANOS = Duration.ofMillis(1).toNanos();

	/**
	 * Longest wait for a write to queues the last fetch emptied before acknowledging what ran: the
	 * acknowledgement then goes with a fetch that finds the new jobs rather than with one that finds
	 * none (a worker draining a driver's fan-outs saved about a quarter of its fetches so).
	 */
	static final long ACK_LINGER_NANOS = Duration.ofMillis(2).toNanos();

	/**
	 * About how long the jobs of one fetch should take to handle: long enough that fast jobs share
	 * round trips, short enough that slow jobs are not held by one consumer while another waits for
	 * work, nor hold a job of a higher queue back for long (see {@link #handled}).
	 */
	static final long BATCH_WORK_NANOS = Duration.ofMillis(100).toNanos();

	private final BusKeys keys;

	private final List<String> queues;

	private final String consumerId;

	private final int batchSize;

	/** How many jobs the next fetch may move: the batch size, or fewer while jobs are slow. */
	private int fetchLimit;

	/** Smoothed handling time per job, or 0 before the first batch. */
	private long nanosPerJob;

	private final double blockSeconds;

	private long maxIdleParkNanos;

	private final List<String> fetchKeys;

	private final SizeLimit sizeLimit;

	private final List<QueueWakeUp.Signal> wakeUps;

	private final @Nullable QueueWakeUp wakeUp;

	/** Longest pause between two looks at idle queues while Redis pushes their writes: the block timeout. */
	private long trackedIdleParkNanos;

	private long minIdleParkNanos = MIN_IDLE_PARK_NANOS;

	private long idleParkNanos = MIN_IDLE_PARK_NANOS;

	private volatile long wokenParks;

	private volatile long idleParks;

	/** Jobs that ran and wait to be acknowledged by the next fetch (see {@link #ackWithNextFetch}). */
	private @Nullable PendingAck pendingAck;

	private @Nullable JobRecord jobRecord;

	/**
	 * The wake-up writes seen before the last fetch when it emptied the queues (took fewer jobs than
	 * it could), else -1: while the sum is still that, nothing was written to them since.
	 */
	private long drainedAtWrites = -1;

	private long ackLingerNanos = ACK_LINGER_NANOS;

	private volatile long ackLingers;

	/** A key each fetch reads in the same step as it moves jobs (see {@link #readWithEachFetch}). */
	private @Nullable String readKey;

	/** Its value as read by the last fetch, or {@code null} when that fetch did not read it. */
	private @Nullable String lastRead;

	/**
	 * A fetcher without a size limit.
	 * @see #QueueFetcher(BusKeys, List, String, int, Duration, SizeLimit)
	 */
	public QueueFetcher(BusKeys keys, List<String> queues, String consumerId, int batchSize, Duration blockTimeout) {
		this(keys, queues, consumerId, batchSize, blockTimeout, SizeLimit.NONE);
	}

	/**
	 * @param queues queue names, highest priority first
	 * @param consumerId the worker id, unique per consumer thread
	 * @param batchSize how many jobs one round trip may move
	 * @param blockTimeout how long an idle fetch blocks on Redis before looking again at every queue
	 * @param sizeLimit the largest job taken; with one, an idle fetch looks again at short intervals
	 * instead of blocking, since a blocking move would hand over a job before its size is known
	 */
	public QueueFetcher(BusKeys keys, List<String> queues, String consumerId, int batchSize, Duration blockTimeout,
			SizeLimit sizeLimit) {
		this(keys, queues, consumerId, batchSize, blockTimeout, sizeLimit, null);
	}

	/**
	 * A fetcher whose pauses between looks at idle queues end early when one of them is written to,
	 * as {@code wakeUp} tells.
	 * @see #QueueFetcher(BusKeys, List, String, int, Duration, SizeLimit)
	 */
	public QueueFetcher(BusKeys keys, List<String> queues, String consumerId, int batchSize, Duration blockTimeout,
			SizeLimit sizeLimit, @Nullable QueueWakeUp wakeUp) {
		if (queues.isEmpty()) {
			throw new IllegalArgumentException("A fetcher needs at least one queue");
		}
		this.keys = keys;
		this.queues = List.copyOf(queues);
		this.consumerId = consumerId;
		this.batchSize = Math.max(1, batchSize);
		this.fetchLimit = this.batchSize;
		this.blockSeconds = Math.max(0.01, blockTimeout.toMillis() / 1000.0);
		this.maxIdleParkNanos = Math.max(MIN_IDLE_PARK_NANOS, Math.min(MAX_IDLE_PARK_NANOS, blockTimeout.toNanos()));
		this.sizeLimit = sizeLimit;
		List<String> fetchKeys = new ArrayList<>(5 + queues.size() * 2);
		fetchKeys.addAll(List.of(keys.failed(), keys.statProcessed(), keys.statProcessed(consumerId), keys.statFailed(),
				keys.statFailed(consumerId), keys.worker(consumerId)));
		for (String queue : queues) {
			fetchKeys.add(keys.queue(queue));
			fetchKeys.add(keys.inflight(queue, consumerId));
		}
		this.fetchKeys = List.copyOf(fetchKeys);
		this.wakeUps = (wakeUp != null && sizeLimit.maxPayloadSize() > 0)
				? wakeUp.signals(queues.stream().map(keys::queue).toList()) : List.of();
		this.wakeUp = this.wakeUps.isEmpty() ? null : wakeUp;
		this.trackedIdleParkNanos = Math.max(this.maxIdleParkNanos, blockTimeout.toNanos());
	}

	/**
	 * The consumer's job record ({@code worker:<id>}, what resque-web shows it doing), written by the
	 * fetch script for the first job of each batch it fetches.
	 */
	public interface JobRecord {

		/** The record of a job of this queue starting now: its text before the job and after it. */
		List<String> around(String queue);

		/** The fetch script wrote this record, for the first job of its batch. */
		void written(String record);

	}

	/**
	 * Lets the fetch script write the job record of each batch it fetches, saving a round trip per batch
	 * (standalone Redis only); {@code null} (the default) for none.
	 */
	public void setJobRecord(@Nullable JobRecord jobRecord) {
		this.jobRecord = jobRecord;
	}

	/**
	 * Has every fetch script also read this key, in the same atomic step as it moves jobs, saving a
	 * round trip per batch: a driver routes its batch by the registry version read so (standalone
	 * Redis only; a blocking move of one job alone reads nothing). {@code null} (the default) for none.
	 */
	public void readWithEachFetch(@Nullable String key) {
		this.readKey = key;
	}

	/**
	 * The value of the {@link #readWithEachFetch} key (what {@code GET} returns, {@code "0"} when it is
	 * missing) as read by the fetch that returned the last jobs, or {@code null} when that fetch did
	 * not read it.
	 */
	public @Nullable String readWithLastFetch() {
		return this.lastRead;
	}

	/** Tests: pauses between looks at idle queues of exactly this long (no fallback worth speaking of). */
	QueueFetcher idlePark(Duration park) {
		this.minIdleParkNanos = park.toNanos();
		this.idleParkNanos = park.toNanos();
		this.maxIdleParkNanos = park.toNanos();
		this.trackedIdleParkNanos = park.toNanos();
		return this;
	}

	/** How many pauses between looks at idle queues began (tests: the fetcher is idle, its last look done). */
	long idleParks() {
		return this.idleParks;
	}

	/** Tests: waits for a write before acknowledging of at most this long. */
	QueueFetcher ackLinger(Duration linger) {
		this.ackLingerNanos = linger.toNanos();
		return this;
	}

	/** How many times an acknowledgement waited for a write to the queues the fetch before it emptied. */
	long ackLingers() {
		return this.ackLingers;
	}

	/** How many pauses between looks at idle queues a write to one of them cut short. */
	public long wokenParks() {
		return this.wokenParks;
	}

	public String consumerId() {
		return this.consumerId;
	}

	public List<String> queues() {
		return this.queues;
	}

	/**
	 * What one fetch took: jobs to handle, jobs the script sent to the failed list for their size
	 * (never loaded here), and how many old failure entries that pushed out of the failed list.
	 */
	public record Fetched(List<FetchedJob> jobs, List<Refused> refused, int trimmed) {

		static final Fetched NONE = new Fetched(List.of(), List.of(), 0);

		public boolean isEmpty() {
			return this.jobs.isEmpty() && this.refused.isEmpty();
		}

	}

	/**
	 * Jobs that ran, their resque-retry counters, whether the job record goes with them, and the jobs
	 * a driver fanned them out to, by queue (pushed before the jobs are acknowledged).
	 */
	private record PendingAck(List<FetchedJob> jobs, List<String> retryCounters, boolean batchOver,
			Map<String, List<byte[]>> pushes) {
	}

	/** A job over the size limit, moved to the failed list by the fetch script. */
	public record Refused(String queue, long size) {
	}

	/**
	 * Takes up to a batch of jobs, higher queues first. When every queue is empty it waits for at
	 * most the block timeout: without a size limit blocking on the highest-priority queue in Redis,
	 * with one (a blocking move cannot check sizes) pausing briefly, longer while the queues stay
	 * idle, up to 50 ms, unless a {@link QueueWakeUp} tells of a write to one of them sooner. An
	 * empty result means nothing arrived meanwhile.
	 */
	public Fetched fetch(RedisConnection connection) {
		this.lastRead = null;
		lingerBeforeAcknowledging();
		long writesSeen = QueueWakeUp.Signal.sum(this.wakeUps);
		int limit = this.fetchLimit;
		Fetched fetched = fetchNow(connection);
		// The fetch's own move of the jobs is a write Redis pushes too, one for each queue it took from.
		boolean drained = fetched.jobs().size() < limit && fetched.refused().isEmpty()
				&& !this.sizeLimit.fills(fetched.jobs());
		this.drainedAtWrites = drained ? writesSeen + queuesTakenFrom(fetched.jobs()) : -1;
		if (!fetched.isEmpty()) {
			this.idleParkNanos = this.minIdleParkNanos;
			return fetched;
		}
		// On a cluster, a blocking move can wait on one queue only: several queues are polled.
		if (this.sizeLimit.maxPayloadSize() > 0 || (HashSlots.isCluster(connection) && this.queues.size() > 1)) {
			this.idleParks++;
			// While Redis pushes the writes to these queues, a pause may last the block timeout: a write
			// ends it. Otherwise (no wake-up, or not tracking now: connecting, reconnecting) 50 ms at most.
			QueueWakeUp wakeUp = this.wakeUp;
			long max = (wakeUp != null && wakeUp.isTracking()) ? this.trackedIdleParkNanos : this.maxIdleParkNanos;
			this.idleParkNanos = Math.min(max, this.idleParkNanos);
			if (this.wakeUps.isEmpty()) {
				LockSupport.parkNanos(this.idleParkNanos);
			}
			else if (QueueWakeUp.Signal.park(this.wakeUps, writesSeen, this.idleParkNanos)) {
				this.wokenParks++;
				return fetched; // the pause stays as long: writes to queues others drain wake this one too
			}
			this.idleParkNanos = Math.min(max, this.idleParkNanos * 2);
			return fetched;
		}
		String first = this.queues.get(0);
		HashSlots.requireOneSlot(connection, "BLMOVE",
				List.of(this.keys.queue(first), this.keys.inflight(first, this.consumerId)));
		byte[] job = connection.listCommands()
			.bLMove(BusRedis.bytes(this.keys.queue(first)), BusRedis.bytes(this.keys.inflight(first, this.consumerId)),
					Direction.LEFT, Direction.RIGHT, this.blockSeconds);
		if (job == null) {
			return (this.queues.size() > 1) ? fetchNow(connection) : Fetched.NONE;
		}
		List<FetchedJob> batch = new ArrayList<>();
		batch.add(FetchedJob.of(first, job));
		if (this.fetchLimit > 1) {
			batch.addAll(fetchNow(connection).jobs());
		}
		return new Fetched(batch, List.of(), 0);
	}

	/**
	 * Jobs that ran wait to be acknowledged by this fetch, the last one emptied the queues and nothing
	 * was written to them since but its own move: waits up to {@link #ACK_LINGER_NANOS} for a write,
	 * while Redis pushes the writes. Never for a driver's fan-out, which would wait with it. (A write
	 * Redis pushed together with the fetch's own, made just after it, goes unseen: it waits out the
	 * linger, at most.)
	 */
	private void lingerBeforeAcknowledging() {
		PendingAck pending = this.pendingAck;
		QueueWakeUp wakeUp = this.wakeUp;
		if (pending != null && pending.pushes().isEmpty() && this.drainedAtWrites >= 0 && wakeUp != null
				&& wakeUp.isTracking()) {
			this.ackLingers++;
			QueueWakeUp.Signal.park(this.wakeUps, this.drainedAtWrites, this.ackLingerNanos);
		}
	}

	private static int queuesTakenFrom(List<FetchedJob> jobs) {
		int queues = 0;
		String last = null;
		for (FetchedJob job : jobs) {
			// Jobs come queue after queue, highest priority first.
			if (!job.queue().equals(last)) {
				queues++;
				last = job.queue();
			}
		}
		return queues;
	}

	/**
	 * Sizes the next fetches by how long jobs take: as many as take about {@link #BATCH_WORK_NANOS}
	 * to handle, from 1 to the batch size. Fast jobs keep full batches; a queue of slow jobs is
	 * fetched one at a time, as Resque does, so other consumers share it and a crash re-runs little.
	 * @param jobs how many jobs the batch held
	 * @param nanos how long handling them took
	 */
	public void handled(int jobs, long nanos) {
		if (jobs <= 0 || this.batchSize == 1) {
			return;
		}
		long sample = Math.max(1, nanos / jobs);
		this.nanosPerJob = (this.nanosPerJob == 0) ? sample : (this.nanosPerJob + sample) / 2;
		this.fetchLimit = (int) Math.max(1, Math.min(this.batchSize, BATCH_WORK_NANOS / this.nanosPerJob));
	}

	/**
	 * Makes the first fetch move one job only, until {@link #handled} has measured how long jobs
	 * take: a consumer starting on a backlog of slow jobs then does not take a whole batch of them
	 * away from the other consumers.
	 */
	public void startWithOneJob() {
		if (this.nanosPerJob == 0) {
			this.fetchLimit = 1;
		}
	}

	/** How many jobs the next fetch may move. */
	public int fetchLimit() {
		return this.fetchLimit;
	}

	/**
	 * Leaves jobs that ran to be acknowledged by the next {@link #fetch} of this consumer, in the same
	 * script as it (or by {@link #flushAcks} first, where a fetch cannot carry them): as
	 * {@link #complete}, one round trip less per batch. Until then a crash re-runs them, as it would
	 * between a job's end and its acknowledgement: the caller hands over only a batch that is over,
	 * and fetches next at once.
	 * @param batchOver whether the consumer's job record ({@code worker:<id>}) goes too
	 */
	public void ackWithNextFetch(List<FetchedJob> jobs, List<String> retryCounters, boolean batchOver) {
		pend(jobs, retryCounters, batchOver, Map.of());
	}

	/**
	 * A driver's batch: leaves its fan-out and the acknowledgement of the jobs it drove to the next
	 * {@link #fetch} of this consumer, in the same script as it (or to {@link #flushAcks} first), which
	 * pushes every job before the driven jobs leave the in-flight list, as one step: one round trip
	 * less per batch. Until then a crash drives the jobs again (at least once, as between a push and its
	 * acknowledgement). Standalone Redis only: on a cluster a fan-out spans slots.
	 * @param driven the jobs driven
	 * @param pushes the jobs to push, by queue name, each in order
	 */
	public void fanOutWithNextFetch(List<FetchedJob> driven, Map<String, List<byte[]>> pushes) {
		pend(driven, List.of(), false, pushes);
	}

	private void pend(List<FetchedJob> jobs, List<String> retryCounters, boolean batchOver,
			Map<String, List<byte[]>> pushes) {
		PendingAck pending = this.pendingAck;
		if (pending == null) {
			pending = new PendingAck(new ArrayList<>(), new ArrayList<>(), false, new LinkedHashMap<>());
		}
		pending.jobs().addAll(jobs);
		pending.retryCounters().addAll(retryCounters);
		for (Map.Entry<String, List<byte[]>> push : pushes.entrySet()) {
			pending.pushes().computeIfAbsent(push.getKey(), (queue) -> new ArrayList<>()).addAll(push.getValue());
		}
		this.pendingAck = new PendingAck(pending.jobs(), pending.retryCounters(), pending.batchOver() || batchOver,
				pending.pushes());
	}

	/** Whether jobs wait for the next fetch to acknowledge them. */
	public boolean hasPendingAck() {
		return this.pendingAck != null;
	}

	/**
	 * Acknowledges at once the jobs left for the next fetch, if any: before the consumer's in-flight
	 * lists are put back (a start, a stop), when it pauses or when it changes queues.
	 * @return how many jobs were acknowledged
	 */
	public int flushAcks(RedisConnection connection) {
		PendingAck pending = this.pendingAck;
		if (pending == null) {
			return 0;
		}
		if (!pending.pushes().isEmpty()) {
			if (HashSlots.isCluster(connection)) {
				throw new IllegalStateException("A fan-out left to the next fetch spans slots on a cluster");
			}
			fetchNow(connection, 0); // the fan-out goes with the acknowledgement: a fetch of nothing
			return pending.jobs().size();
		}
		this.pendingAck = null; // sent once: after a failure the in-flight lists are put back instead
		return complete(connection, pending.jobs(), pending.retryCounters(), pending.batchOver());
	}

	private Fetched fetchNow(RedisConnection connection) {
		return fetchNow(connection, this.fetchLimit);
	}

	private Fetched fetchNow(RedisConnection connection, int limit) {
		if (HashSlots.isCluster(connection)) {
			flushAcks(connection);
			return fetchEachQueue(connection);
		}
		PendingAck pending = this.pendingAck;
		this.pendingAck = null; // sent once: after a failure the in-flight lists are put back instead
		JobRecord jobRecord = this.jobRecord;
		List<List<String>> records = new ArrayList<>((jobRecord != null) ? this.queues.size() : 0);
		if (jobRecord != null) {
			for (String queue : this.queues) {
				records.add(jobRecord.around(queue));
			}
		}
		// The jobs acknowledged go as counts alone: the script deletes in-flight lists holding just them.
		// When one holds others too (recovery put it back meanwhile, say), it asks for the jobs.
		List<@Nullable Object> reply = fetchScript(connection, limit, records, pending, false);
		if (reply.size() == 1) {
			reply = fetchScript(connection, limit, records, pending, true);
		}
		Fetched fetched = fetched(reply);
		if (jobRecord != null && !fetched.jobs().isEmpty()) {
			FetchedJob first = fetched.jobs().get(0);
			List<String> around = records.get(this.queues.indexOf(first.queue()));
			jobRecord.written(around.get(0) + first.raw() + around.get(1));
		}
		return fetched;
	}

	/** The fetch script's call; {@code records} empty for no job record. */
	private List<@Nullable Object> fetchScript(RedisConnection connection, int limit, List<List<String>> records,
			@Nullable PendingAck pending, boolean withJobs) {
		List<String> sizeArgs = this.sizeLimit.args();
		List<byte[]> args = new ArrayList<>(5 + this.queues.size() * 3 + sizeArgs.size()
				+ ((pending != null) ? pending.jobs().size() * 2 : 0));
		args.add(BusRedis.bytes(Integer.toString(limit)));
		args.add(BusRedis.bytes(Integer.toString(this.queues.size())));
		args.add(BusRedis.bytes((pending != null && pending.batchOver()) ? "1" : "0"));
		String readKey = this.readKey;
		args.add(BusRedis.bytes(Integer.toString((records.isEmpty() ? 0 : 1) + ((readKey != null) ? 2 : 0))));
		for (List<String> around : records) {
			args.add(BusRedis.bytes(around.get(0)));
			args.add(BusRedis.bytes(around.get(1)));
		}
		List<String> keys = this.fetchKeys;
		if (pending == null) {
			for (int q = 0; q <= this.queues.size(); q++) {
				args.add(ZERO); // no job acknowledged on any queue, then no fan-out
			}
		}
		else {
			for (String queue : this.queues) {
				List<byte[]> own = pending.jobs()
					.stream()
					.filter((job) -> job.queue().equals(queue))
					.map(FetchedJob::bytes)
					.toList();
				args.add(BusRedis.bytes(Integer.toString(withJobs ? own.size() : -own.size())));
				if (withJobs) {
					args.addAll(own);
				}
			}
			args.add(BusRedis.bytes(Integer.toString(pending.pushes().size())));
			if (!pending.pushes().isEmpty() || !pending.retryCounters().isEmpty()) {
				keys = new ArrayList<>(this.fetchKeys);
				if (!pending.pushes().isEmpty()) {
					keys.add(this.keys.queues());
				}
				for (Map.Entry<String, List<byte[]>> push : pending.pushes().entrySet()) {
					keys.add(this.keys.queue(push.getKey()));
					args.add(BusRedis.bytes(push.getKey()));
					args.add(BusRedis.bytes(Integer.toString(push.getValue().size())));
					args.addAll(push.getValue());
				}
				keys.addAll(pending.retryCounters());
			}
		}
		sizeArgs.forEach((arg) -> args.add(BusRedis.bytes(arg)));
		if (readKey != null) {
			keys = new ArrayList<>(keys);
			keys.add(readKey);
		}
		return BusRedis.runBytes(connection, FETCH, keys, args);
	}

	private Fetched fetched(List<@Nullable Object> reply) {
		if (reply.isEmpty()) {
			return Fetched.NONE;
		}
		List<FetchedJob> jobs = new ArrayList<>(reply.size() / 2);
		List<Refused> refused = new ArrayList<>(0);
		int trimmed = 0;
		for (int i = 0; i + 1 < reply.size(); i += 2) {
			int queueIndex = ((Number) reply.get(i)).intValue();
			Object value = reply.get(i + 1);
			if (queueIndex > this.queues.size()) {
				this.lastRead = BusRedis.string((byte[]) value);
			}
			else if (queueIndex > 0) {
				jobs.add(FetchedJob.of(this.queues.get(queueIndex - 1), (byte[]) value));
			}
			else if (queueIndex < 0) {
				refused.add(new Refused(this.queues.get(-queueIndex - 1), ((Number) value).longValue()));
			}
			else {
				trimmed = ((Number) value).intValue();
			}
		}
		return new Fetched(jobs, refused, trimmed);
	}

	/**
	 * Cluster mode: one single-slot fetch per queue, highest priority first, until the batch is full.
	 * A job over the size limit is recorded on the failed list (another slot) before it leaves the
	 * in-flight list, where it stays last meanwhile; a crash between records it twice, never loses it.
	 */
	private Fetched fetchEachQueue(RedisConnection connection) {
		List<FetchedJob> jobs = new ArrayList<>();
		List<String> limits = this.sizeLimit.args();
		long maxSize = this.sizeLimit.maxPayloadSize();
		for (int q = 0; q < this.queues.size() && jobs.size() < this.fetchLimit && !this.sizeLimit.fills(jobs); q++) {
			String queue = this.queues.get(q);
			String inflight = this.keys.inflight(queue, this.consumerId);
			List<@Nullable Object> reply = BusRedis.runBytes(connection, FETCH_SLOT,
					List.of(this.keys.queue(queue), inflight),
					List.of(BusRedis.bytes(Integer.toString(this.fetchLimit - jobs.size())),
							BusRedis.bytes(Long.toString(Math.max(0, maxSize))),
							BusRedis.bytes(Integer.toString(SizeLimit.KEPT_BYTES)),
							BusRedis.bytes(Long.toString(Math.max(0, maxSize - SizeLimit.bytes(jobs))))));
			for (int i = 0; i < reply.size(); i++) {
				if (reply.get(i) instanceof byte[] job) {
					jobs.add(FetchedJob.of(queue, job));
					continue;
				}
				long size = ((Number) reply.get(i + 1)).longValue();
				String payload = BusRedis.string((byte[]) reply.get(i + 2));
				String entry = limits.get(3) + payload + limits.get(4) + size + limits.get(5) + maxSize
						+ limits.get(5 + q + 1);
				SlotSteps.call(connection, this.keys.failed(), "RPUSH", entry);
				int trimmed = (int) SlotSteps.trimFailed(connection, this.keys, Long.parseLong(limits.get(1)), 0);
				SlotSteps.increment(connection, 1, this.keys.statProcessed(), this.keys.statProcessed(this.consumerId),
						this.keys.statFailed(), this.keys.statFailed(this.consumerId));
				SlotSteps.call(connection, inflight, "LTRIM", "0", "-2");
				return new Fetched(jobs, List.of(new Refused(queue, size)), trimmed);
			}
		}
		return jobs.isEmpty() ? Fetched.NONE : new Fetched(jobs, List.of(), 0);
	}

	/**
	 * Acknowledges jobs that ran, in one step however many: out of the in-flight lists (an in-flight
	 * list holding just these is deleted whole), counted as processed, and their resque-retry counters
	 * deleted, as resque-retry does after a successful run.
	 * @param retryCounters the counter keys of the jobs that have one
	 * @param batchOver whether the batch is over, which deletes the consumer's job record ({@code worker:<id>})
	 * @return how many jobs were acknowledged
	 */
	public int complete(RedisConnection connection, List<FetchedJob> jobs, List<String> retryCounters,
			boolean batchOver) {
		if (HashSlots.isCluster(connection)) {
			return completeEachSlot(connection, jobs, retryCounters, batchOver);
		}
		List<String> keys = new ArrayList<>(3 + this.queues.size() + retryCounters.size());
		keys.add(this.keys.statProcessed());
		keys.add(this.keys.statProcessed(this.consumerId));
		keys.add(this.keys.worker(this.consumerId));
		List<byte[]> lists = new ArrayList<>(this.queues.size() + jobs.size());
		for (String queue : this.queues) {
			List<byte[]> own = jobs.stream().filter((job) -> job.queue().equals(queue)).map(FetchedJob::bytes).toList();
			if (!own.isEmpty()) {
				keys.add(this.keys.inflight(queue, this.consumerId));
				lists.add(BusRedis.bytes(Integer.toString(own.size())));
				lists.addAll(own);
			}
		}
		List<byte[]> args = new ArrayList<>(2 + lists.size());
		args.add(BusRedis.bytes(Integer.toString(keys.size() - 3)));
		args.add(BusRedis.bytes(batchOver ? "1" : "0"));
		args.addAll(lists);
		keys.addAll(retryCounters);
		List<@Nullable Object> reply = BusRedis.runBytes(connection, COMPLETE, keys, args);
		return reply.isEmpty() ? 0 : ((Number) reply.get(0)).intValue();
	}

	/** Cluster mode: out of each in-flight list first (the acknowledgement), then the counters and records. */
	private int completeEachSlot(RedisConnection connection, List<FetchedJob> jobs, List<String> retryCounters,
			boolean batchOver) {
		int total = 0;
		for (String queue : this.queues) {
			List<byte[]> own = jobs.stream().filter((job) -> job.queue().equals(queue)).map(FetchedJob::bytes).toList();
			if (!own.isEmpty()) {
				BusRedis.runBytes(connection, REMOVE_EACH, List.of(this.keys.inflight(queue, this.consumerId)), own);
				total += own.size();
			}
		}
		SlotSteps.increment(connection, total, this.keys.statProcessed(), this.keys.statProcessed(this.consumerId));
		List<String> gone = new ArrayList<>(retryCounters);
		if (batchOver) {
			gone.add(this.keys.worker(this.consumerId));
		}
		SlotSteps.delete(connection, gone);
		return total;
	}

	/**
	 * Moves a job to the failed list with its failure entry, counted as processed and failed.
	 * @param maxFailed most entries the failed list keeps (the oldest go first); 0 for no limit
	 * @return how many old entries were dropped to stay within the limit
	 */
	public int fail(RedisConnection connection, FetchedJob job, String failureEntryJson, long maxFailed) {
		return fail(connection, job, failureEntryJson, maxFailed, null);
	}

	/**
	 * Moves a job that gives up to the failed list, as {@link #fail(RedisConnection, FetchedJob, String, long)},
	 * and deletes its resque-retry counter in the same step.
	 * @param retryCounter the job's counter key, or {@code null} when it has none
	 */
	public int fail(RedisConnection connection, FetchedJob job, String failureEntryJson, long maxFailed,
			@Nullable String retryCounter) {
		return fail(connection, job, failureEntryJson, maxFailed, 0, retryCounter);
	}

	/**
	 * Moves a job to the failed list, as {@link #fail(RedisConnection, FetchedJob, String, long, String)},
	 * keeping the list within a memory size too.
	 * @param maxFailedBytes most bytes the failed list takes in Redis (its {@code MEMORY USAGE}); the
	 * oldest entries go first, the newest always stays; 0 for no limit
	 */
	public int fail(RedisConnection connection, FetchedJob job, String failureEntryJson, long maxFailed,
			long maxFailedBytes, @Nullable String retryCounter) {
		if (HashSlots.isCluster(connection)) {
			return failInSteps(connection, job, failureEntryJson, maxFailed, maxFailedBytes, retryCounter);
		}
		List<String> keys = new ArrayList<>(List.of(this.keys.inflight(job.queue(), this.consumerId),
				this.keys.failed(), this.keys.statProcessed(), this.keys.statProcessed(this.consumerId),
				this.keys.statFailed(), this.keys.statFailed(this.consumerId), this.keys.worker(this.consumerId)));
		if (retryCounter != null) {
			keys.add(retryCounter);
		}
		List<@Nullable Object> reply = BusRedis.runBytes(connection, FAIL, keys,
				List.of(job.bytes(), BusRedis.bytes(failureEntryJson), BusRedis.bytes(Long.toString(maxFailed)),
						BusRedis.bytes(Long.toString(maxFailedBytes))));
		return reply.isEmpty() ? 0 : ((Number) reply.get(0)).intValue();
	}

	/**
	 * Cluster mode: the failure entry first, the job out of the in-flight list last, so a crash in
	 * between records the failure twice rather than losing the job.
	 */
	private int failInSteps(RedisConnection connection, FetchedJob job, String failureEntryJson, long maxFailed,
			long maxFailedBytes, @Nullable String retryCounter) {
		SlotSteps.call(connection, this.keys.failed(), "RPUSH", failureEntryJson);
		int dropped = (int) SlotSteps.trimFailed(connection, this.keys, maxFailed, maxFailedBytes);
		SlotSteps.increment(connection, 1, this.keys.statProcessed(), this.keys.statProcessed(this.consumerId),
				this.keys.statFailed(), this.keys.statFailed(this.consumerId));
		List<String> gone = new ArrayList<>(List.of(this.keys.worker(this.consumerId)));
		if (retryCounter != null) {
			gone.add(retryCounter);
		}
		SlotSteps.delete(connection, gone);
		SlotSteps.callBytes(connection, this.keys.inflight(job.queue(), this.consumerId), "LREM",
				List.of(BusRedis.bytes("-1"), job.bytes()));
		return dropped;
	}

	/**
	 * How many runs of a job failed before, by its resque-retry counter: 0 when it has none (or
	 * only the {@code -1} resque-retry sets before a first run), else the counter plus one.
	 */
	public long failedRuns(RedisConnection connection, String retryCounter) {
		byte[] value = connection.stringCommands().get(BusRedis.bytes(retryCounter));
		if (value == null) {
			return 0;
		}
		try {
			return Math.max(0, Long.parseLong(BusRedis.string(value).trim()) + 1);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Sends a failed job back for another run, in one step: out of the in-flight list, counted
	 * processed and failed, its resque-retry counter incremented, and pushed back onto
	 * {@code queue} at once ({@code due} null) or into the delayed set until {@code due} as a
	 * resque-scheduler item with that queue, which the scheduler (Java or Ruby) moves back.
	 * @param retryCounter the job's resque-retry counter key
	 * @param queue the queue the job runs on ({@code bus_rider_queue})
	 * @param due when the retry is due (epoch seconds), or {@code null} for at once
	 * @param delayedItem the resque-scheduler item for {@code queue}; ignored when {@code due} is null
	 * @return the counter's new value, or -2 when the job was no longer in the in-flight list
	 * (recovery gave it back to its queue meanwhile) and nothing was done
	 */
	public long retry(RedisConnection connection, FetchedJob job, String retryCounter, String queue,
			@Nullable Long due, String delayedItem) {
		String ts = (due != null) ? Long.toString(due) : "";
		String delayed = (due != null) ? this.keys.delayed(due) : this.keys.delayed(ts);
		if (HashSlots.isCluster(connection)) {
			return retryInSteps(connection, job, retryCounter, queue, due, delayedItem);
		}
		List<@Nullable Object> reply = BusRedis.runBytes(connection, RETRY,
				List.of(this.keys.inflight(job.queue(), this.consumerId), this.keys.statProcessed(),
						this.keys.statProcessed(this.consumerId), this.keys.statFailed(),
						this.keys.statFailed(this.consumerId), this.keys.worker(this.consumerId), retryCounter,
						this.keys.queues(), this.keys.queue(queue), delayed, this.keys.timestamps(delayedItem),
						this.keys.delayedSchedule()),
				List.of(job.bytes(), BusRedis.bytes(queue), BusRedis.bytes(ts), BusRedis.bytes(delayedItem),
						BusRedis.bytes(BusKeys.delayedMember(ts))));
		return reply.isEmpty() ? -2 : ((Number) reply.get(0)).longValue();
	}

	/**
	 * Cluster mode: while the job is still in the in-flight list (else -2, as the script), the
	 * counter goes up and the retry is pushed or scheduled, then the job leaves the in-flight list.
	 * A crash before that last step runs the job again besides its retry (at least once).
	 */
	private long retryInSteps(RedisConnection connection, FetchedJob job, String retryCounter, String queue,
			@Nullable Long due, String delayedItem) {
		String inflight = this.keys.inflight(job.queue(), this.consumerId);
		List<@Nullable Object> position = SlotSteps.callBytes(connection, inflight, "LPOS", List.of(job.bytes()));
		if (position.isEmpty() || position.get(0) == null) {
			return -2;
		}
		SlotSteps.call(connection, retryCounter, "SETNX", "-1");
		Object attempt = SlotSteps.call(connection, retryCounter, "INCR");
		if (due == null) {
			SlotSteps.enqueue(connection, this.keys, queue, List.of(job.bytes()));
		}
		else {
			SlotSteps.delay(connection, this.keys, due, delayedItem);
		}
		SlotSteps.increment(connection, 1, this.keys.statProcessed(), this.keys.statProcessed(this.consumerId),
				this.keys.statFailed(), this.keys.statFailed(this.consumerId));
		SlotSteps.delete(connection, List.of(this.keys.worker(this.consumerId)));
		SlotSteps.callBytes(connection, inflight, "LREM", List.of(BusRedis.bytes("-1"), job.bytes()));
		return (attempt instanceof Number n) ? n.longValue() : -2;
	}

	/** Hands fetched jobs that never started back to the head of their queues, in order. */
	public void requeue(RedisConnection connection, List<FetchedJob> jobs) {
		for (String queue : this.queues) {
			List<byte[]> raws = jobs.stream().filter((job) -> job.queue().equals(queue)).map(FetchedJob::bytes).toList();
			if (!raws.isEmpty()) {
				BusRedis.runBytes(connection, REQUEUE,
						List.of(this.keys.inflight(queue, this.consumerId), this.keys.queue(queue)), raws);
			}
		}
	}

	/**
	 * Puts back whatever this consumer's in-flight lists still hold, at the head of their queues, after
	 * acknowledging the jobs left for the next fetch ({@link #flushAcks}).
	 * Called before fetching and when stopping, when no job of this consumer runs.
	 * @return how many jobs went back
	 */
	public int restoreOwn(RedisConnection connection) {
		flushAcks(connection);
		int restored = 0;
		for (String queue : this.queues) {
			List<@Nullable Object> reply = BusRedis.run(connection, RESTORE,
					List.of(this.keys.inflight(queue, this.consumerId), this.keys.queue(queue)), List.of());
			restored += reply.isEmpty() ? 0 : ((Number) reply.get(0)).intValue();
		}
		return restored;
	}

}
