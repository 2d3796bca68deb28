package io.resquebus.worker;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.BusSettings;
import io.resquebus.hook.BusErrorHandlers;
import io.resquebus.invoke.JobDispatcher;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.FetchedBatch;
import io.resquebus.redis.FetchedJob;
import io.resquebus.redis.QueueFetcher;
import io.resquebus.retry.BusExceptionClassifier;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.QueueRunner;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.PlainJob;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Works this app's queues in priority order (critical, default, then custom queues): fetches
 * reliably, runs each job's handler, acknowledges it only after the handler returned (the finished
 * jobs of a batch together, in one step), and sends
 * a job whose handler threw either back for another run (its retry policy, resque-retry's way:
 * see {@link #setRetryPolicy}) or to Resque's failed list. Fetched jobs it has not started when told to
 * stop go back to the head of their queue. A job whose synchronous subscriber already ran in the
 * publisher's thread is acknowledged (and counted processed) without running.
 */
public class WorkerRunner extends QueueRunner {

	private final AppSubscriptions subscriptions;

	private final List<String> configuredQueues;

	private volatile List<String> queues = List.of();

	private final JobDispatcher dispatcher;

	private final AtomicLong alreadyDelivered = new AtomicLong();

	private int consumers = 1;

	private @Nullable RetryPolicy retryPolicy;

	private BusExceptionClassifier classifier = new BusExceptionClassifier();

	private final AtomicLong retried = new AtomicLong();

	private final boolean dynamicQueues;

	private volatile long queueRefreshNanos = Duration.ofSeconds(5).toNanos();

	private volatile long queuesReadAt;

	private volatile @Nullable JobThrottle throttle;

	private volatile @Nullable BusErrorHandlers errorHandlers;

	private volatile @Nullable ResqueJobRunner plainJobs;

	private final AtomicLong leftForOthers = new AtomicLong();

	/**
	 * @param queues queue names in priority order; empty means the app's own, derived from its
	 * subscriptions when the runner starts (annotation scanning may add some until then)
	 */
	public WorkerRunner(BusRedis redis, BusSettings settings, AppSubscriptions subscriptions, List<String> queues,
			int batchSize, Duration blockTimeout) {
		super(redis, "resquebus-worker", settings, batchSize, blockTimeout);
		this.subscriptions = subscriptions;
		this.configuredQueues = List.copyOf(queues);
		this.dynamicQueues = QueueList.isDynamic(queues);
		this.dispatcher = new JobDispatcher(settings.codec(), subscriptions, settings.clock());
	}

	public void setConsumers(int consumers) {
		this.consumers = Math.max(1, consumers);
	}

	/**
	 * How a failed run is retried unless its subscription has its own policy, e.g.
	 * {@link BusRetryPolicies#resqueRetry()}; {@code null} (the default here, not in Spring Boot)
	 * sends every failure to the failed list at once.
	 */
	public void setRetryPolicy(@Nullable RetryPolicy retryPolicy) {
		this.retryPolicy = retryPolicy;
	}

	/** Which errors are retried at all; {@link BusExceptionClassifier}'s defaults unless set. */
	public void setExceptionClassifier(BusExceptionClassifier classifier) {
		this.classifier = classifier;
	}

	/** The default retry policy, or {@code null} for none. */
	public @Nullable RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	public BusExceptionClassifier exceptionClassifier() {
		return this.classifier;
	}

	/** How many failed runs this runner sent back for another attempt. */
	public long retriedCount() {
		return this.retried.get();
	}

	/** How often a queue list with {@code *} is read again from Resque's {@code queues} set. */
	public void setQueueRefreshInterval(Duration interval) {
		this.queueRefreshNanos = Math.max(1, interval.toNanos());
	}

	/** Limits how many jobs start per second, overall and per queue; {@code null} for no limit. */
	public void setThrottle(@Nullable JobThrottle throttle) {
		this.throttle = throttle;
	}

	/** Called after each failure is recorded; {@code null} for none. */
	public void setErrorHandlers(@Nullable BusErrorHandlers errorHandlers) {
		this.errorHandlers = errorHandlers;
	}

	/**
	 * Runs the plain Resque jobs (any class but {@code QueueBus::Worker}) of the queues worked, and
	 * adds its handlers' queues to the app's own when no queue list is configured; {@code null}
	 * (the default) fails every job that is not a bus job.
	 */
	public void setPlainJobs(@Nullable ResqueJobRunner plainJobs) {
		this.plainJobs = plainJobs;
	}

	/** How many plain jobs without a handler this runner handed back for another worker. */
	public long leftForOthersCount() {
		return this.leftForOthers.get();
	}

	public @Nullable JobThrottle getThrottle() {
		return this.throttle;
	}

	/** The queues worked, highest priority first; known once started. */
	@Override
	public List<String> queues() {
		return this.queues;
	}

	/**
	 * How many jobs this runner acknowledged without running them because the publisher had
	 * already run their synchronous subscriber in its own thread.
	 */
	public long alreadyDeliveredCount() {
		return this.alreadyDelivered.get();
	}

	/** Each consumer's job record shows the job it runs, for resque-web. */
	@Override
	protected boolean showsJobs() {
		return true;
	}

	@Override
	protected int consumers() {
		return (this.queues.isEmpty() && !this.dynamicQueues) ? 0 : this.consumers;
	}

	/** With {@code *} in the list: the expanded list, read again from Redis at the refresh interval. */
	@Override
	protected List<String> queues(RedisConnection connection) {
		if (!this.dynamicQueues) {
			return this.queues;
		}
		long now = System.nanoTime();
		if (this.queues.isEmpty() || now - this.queuesReadAt >= this.queueRefreshNanos) {
			this.queuesReadAt = now;
			Set<byte[]> members = connection.setCommands().sMembers(BusRedis.bytes(this.settings.keys().queues()));
			List<String> known = (members != null) ? members.stream().map(BusRedis::string).toList() : List.of();
			this.queues = QueueList.expand(this.configuredQueues, known);
		}
		return this.queues;
	}

	@Override
	public void start() {
		if (this.dynamicQueues) {
			this.queues = List.of();
			super.start();
			return;
		}
		this.queues = this.configuredQueues.isEmpty() ? ownQueues() : this.configuredQueues;
		if (this.queues.isEmpty()) {
			this.logger.info("No subscriptions, so no queues to work: the worker stays idle");
		}
		super.start();
	}

	/** The app's bus queues, then those of its plain-job handlers. */
	private List<String> ownQueues() {
		List<String> own = this.subscriptions.isEmpty() ? List.of() : this.subscriptions.queues();
		ResqueJobRunner plainJobs = this.plainJobs;
		if (plainJobs == null || plainJobs.jobs().isEmpty()) {
			return own;
		}
		java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(own);
		all.addAll(plainJobs.jobs().queues());
		return List.copyOf(all);
	}

	/**
	 * Runs the batch's jobs in order and acknowledges those that ran together (see {@link BatchAcks}),
	 * in the script of the next fetch unless stopping or paused: a crash re-runs at most the batch's
	 * finished jobs. A failure is recorded at once, per job.
	 */
	@Override
	protected void handle(RedisConnection connection, FetchedBatch batch) {
		QueueFetcher fetcher = batch.fetcher();
		JobThrottle throttle = this.throttle;
		BatchAcks acks = new BatchAcks(fetcher, consumerRegistry());
		try {
			for (FetchedJob job = batch.peek(); job != null; job = batch.peek()) {
				acks.flushIfDue(connection);
				if (!isRunning() || (throttle != null && !throttle.acquire(job.queue(), this::isRunning))
						|| !batch.start(job)) {
					// Stopping: what was not started goes back (nothing, if the stop took it already).
					List<FetchedJob> unstarted = batch.takeRest();
					if (!unstarted.isEmpty()) {
						fetcher.requeue(connection, unstarted);
					}
					break;
				}
				run(connection, fetcher, job, acks);
			}
		}
		catch (Error ex) {
			// The consumer dies (a handler's Error): what ran is acknowledged if Redis still answers.
			try {
				acks.flush(connection, true);
			}
			catch (RuntimeException ackFailure) {
				ex.addSuppressed(ackFailure);
			}
			throw ex;
		}
		if (isRunning() && !isPaused()) {
			acks.handOver(); // acknowledged by the next fetch, which follows at once
		}
		else {
			acks.flush(connection, true);
		}
	}

	/** Runs one job; a job that ran waits in {@code acks}, one that failed is recorded now. */
	private void run(RedisConnection connection, QueueFetcher fetcher, FetchedJob job, BatchAcks acks) {
		ResqueJobRunner plainJobs = this.plainJobs;
		// A bus job as the bus and Ruby write one is read in one pass, and is no plain job.
		BusJob busJob = this.settings.codec().parseBusJobInOnePass(job.raw());
		PlainJob decoded = (plainJobs != null && busJob == null) ? decodePlain(job) : null;
		ResqueJobRunner.Claim plain = (plainJobs != null && decoded != null) ? plainJobs.claim(job.queue(), decoded)
				: null;
		if (plainJobs != null && plain != null) {
			if (plain.leave()) {
				leave(connection, fetcher, job, plain);
			}
			else {
				runPlain(connection, fetcher, job, plainJobs, plain, acks);
			}
			return;
		}
		BusJob parsed;
		try {
			// Decoded once: a bus job the plain-job check already decoded is not decoded again.
			parsed = (busJob != null) ? busJob : (decoded != null) ? this.settings.codec().parseJob(decoded)
					: this.settings.codec().parseJob(job.raw());
		}
		catch (RuntimeException ex) {
			failed(connection, fetcher, job, null, ex);
			return;
		}
		ConsumerRegistry registry = consumerRegistry();
		if (registry != null) {
			registry.working(connection, fetcher.consumerId(), job.queue(), parsed.raw());
		}
		try {
			if (!this.dispatcher.dispatch(parsed, job.queue(), listener())) {
				this.alreadyDelivered.incrementAndGet();
				this.logger.debug("Job on {} acknowledged without running: its publisher already ran the "
						+ "synchronous subscriber", job.queue());
			}
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
				throw (VirtualMachineError) ex;
			}
			failed(connection, fetcher, job, parsed, ex);
			return;
		}
		acks.add(job, retryCounter(job, parsed));
	}

	/** The job decoded as a plain Resque job, or {@code null} when it is none (the bus's path reports why). */
	private @Nullable PlainJob decodePlain(FetchedJob job) {
		try {
			return this.settings.codec().parsePlainJob(job.raw());
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private void failed(RedisConnection connection, QueueFetcher fetcher, FetchedJob job, @Nullable BusJob parsed,
			Throwable ex) {
		failOrRetry(connection, fetcher, job, parsed, ex);
		afterFailure(fetcher, job, ex);
	}

	/** After a failure was recorded: its script deleted the job record; the error hooks run. */
	private void afterFailure(QueueFetcher fetcher, FetchedJob job, Throwable ex) {
		ConsumerRegistry registry = consumerRegistry();
		if (registry != null) {
			registry.idle(fetcher.consumerId());
		}
		BusErrorHandlers errorHandlers = this.errorHandlers;
		if (errorHandlers != null) {
			errorHandlers.failed(job.queue(), job.raw(), ex);
		}
	}

	/** A plain Resque job: performed, then acknowledged with its batch, or retried or failed as a bus job is. */
	private void runPlain(RedisConnection connection, QueueFetcher fetcher, FetchedJob job, ResqueJobRunner plainJobs,
			ResqueJobRunner.Claim plain, BatchAcks acks) {
		ConsumerRegistry registry = consumerRegistry();
		if (registry != null) {
			registry.working(connection, fetcher.consumerId(), job.queue(), job.raw()); // parsed by the claim
		}
		try {
			plainJobs.perform(plain, job.queue(), listener());
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
				throw (VirtualMachineError) ex;
			}
			failOrRetry(connection, fetcher, job, plain.retryCounter(), plain.retry(), job.queue(),
					plain.job().className(), ex);
			afterFailure(fetcher, job, ex);
			return;
		}
		acks.add(job, plain.retryCounter());
	}

	/**
	 * Hands a plain job no handler takes back to the head of its queue for another (Ruby) worker,
	 * then waits a moment so this consumer does not take it again at once.
	 */
	private void leave(RedisConnection connection, QueueFetcher fetcher, FetchedJob job, ResqueJobRunner.Claim plain) {
		fetcher.requeue(connection, List.of(job));
		if (this.leftForOthers.incrementAndGet() == 1) {
			this.logger.info("Leaving {} jobs on {} for other workers: no handler in this app", plain.job().className(),
					job.queue());
		}
		LockSupport.parkNanos(blockTimeout().toNanos());
	}

	/**
	 * Retries the job if its error is retryable, its policy has attempts left and it is a rider
	 * job (driver jobs lack {@code bus_rider_queue}, so resque-retry cannot retry them either);
	 * else it goes to the failed list and its resque-retry counter is deleted.
	 */
	private void failOrRetry(RedisConnection connection, QueueFetcher fetcher, FetchedJob job,
			@Nullable BusJob parsed, Throwable error) {
		String counter = retryCounter(job, parsed);
		RetryPolicy policy = (parsed != null && counter != null) ? policyFor(parsed) : null;
		failOrRetry(connection, fetcher, job, counter, policy, (parsed != null) ? riderQueue(parsed) : "",
				(parsed != null) ? parsed.eventType() : null, error);
	}

	/**
	 * Retries the job under {@code policy} if its error is retryable and attempts are left, back
	 * onto {@code queue}; else it goes to the failed list and its counter is deleted.
	 * @param counter its resque-retry counter key, {@code null} when it is never retried
	 * @param label what the listener is told the job is (an event type or a job class)
	 */
	private void failOrRetry(RedisConnection connection, QueueFetcher fetcher, FetchedJob job, @Nullable String counter,
			@Nullable RetryPolicy policy, String queue, @Nullable String label, Throwable error) {
		if (counter == null || policy == null || !this.classifier.isRetryable(error) || !policy.shouldRetry(error)) {
			fail(connection, fetcher, job, error, counter);
			return;
		}
		long failedRuns = fetcher.failedRuns(connection, counter);
		Duration delay = BusRetryPolicies.delayBeforeRetry(policy, failedRuns);
		if (delay == null) {
			this.logger.warn("Job on {} failed on its last attempt ({} runs)", job.queue(), failedRuns + 1);
			fail(connection, fetcher, job, error, counter);
			return;
		}
		Long due = delay.isZero() ? null : this.settings.epochSecond() + ceilSeconds(delay);
		String item = (due != null) ? this.settings.codec().retryItem(job.raw(), queue) : "";
		long attempt = fetcher.retry(connection, job, counter, queue, due, item);
		if (attempt == -2) {
			this.logger.warn("Job on {} failed but was no longer in flight (recovered meanwhile): not retried here",
					job.queue());
			return;
		}
		this.retried.incrementAndGet();
		listener().retried(job.queue(), label, (int) Math.min(Integer.MAX_VALUE, failedRuns + 1), error);
		this.logger.info("Job on {} failed (run {}), retried {}: {}", job.queue(), failedRuns + 1,
				(due != null) ? "at " + due + " (in " + delay + ")" : "at once", error.toString());
	}

	/** The subscription's own retry policy, else the default one (possibly none). */
	private @Nullable RetryPolicy policyFor(BusJob job) {
		String subKey = job.attribute(BusAttributes.RIDER_SUB_KEY);
		RetryPolicy own = (subKey != null)
				? this.subscriptions.find(subKey).map(LocalSubscription::retry).orElse(null) : null;
		return (own != null) ? own : this.retryPolicy;
	}

	/** The job's resque-retry counter key; only rider jobs (with a {@code bus_rider_queue}) have one. */
	private @Nullable String retryCounter(FetchedJob fetched, @Nullable BusJob job) {
		if (job == null || riderQueue(job).isEmpty()) {
			return null;
		}
		return this.settings.keys().retryCounter(job, fetched.asciiBytes());
	}

	private static String riderQueue(BusJob job) {
		String queue = job.attribute(BusAttributes.RIDER_QUEUE);
		return (queue != null) ? queue : "";
	}

	private static long ceilSeconds(Duration delay) {
		long millis = delay.toMillis();
		return Math.max(1, (millis + 999) / 1000);
	}

}
