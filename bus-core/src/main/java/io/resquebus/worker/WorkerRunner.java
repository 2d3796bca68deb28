package io.resquebus.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.QueueRunner;
import io.resquebus.BusSettings;
import io.resquebus.failure.Failures;
import io.resquebus.hook.BusErrorHandlers;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.FetchedJob;
import io.resquebus.redis.QueueFetcher;
import io.resquebus.subscription.AppSubscriptions;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Works this app's queues in priority order (critical, default, then custom queues): fetches
 * reliably, runs each job's handler, acknowledges it only after the handler returned, and sends
 * a job whose handler threw to Resque's failed list. Fetched jobs it has not started when told to
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

	private final boolean dynamicQueues;

	private volatile long queueRefreshNanos = Duration.ofSeconds(5).toNanos();

	private volatile long queuesReadAt;

	private volatile @Nullable JobThrottle throttle;

	private volatile @Nullable BusErrorHandlers errorHandlers;

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
		this.dispatcher = new JobDispatcher(settings.codec(), subscriptions);
	}

	public void setConsumers(int consumers) {
		this.consumers = Math.max(1, consumers);
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
		this.queues = this.configuredQueues.isEmpty() ? (this.subscriptions.isEmpty() ? List.of()
				: this.subscriptions.queues()) : this.configuredQueues;
		if (this.queues.isEmpty()) {
			this.logger.info("No subscriptions, so no queues to work: the worker stays idle");
		}
		super.start();
	}

	@Override
	protected void handle(RedisConnection connection, QueueFetcher fetcher, List<FetchedJob> batch) {
		JobThrottle throttle = this.throttle;
		for (int i = 0; i < batch.size(); i++) {
			if (!isRunning() || (throttle != null && !throttle.acquire(batch.get(i).queue(), this::isRunning))) {
				fetcher.requeue(connection, batch.subList(i, batch.size()));
				return;
			}
			run(connection, fetcher, batch.get(i));
		}
	}

	private void run(RedisConnection connection, QueueFetcher fetcher, FetchedJob job) {
		ConsumerRegistry registry = consumerRegistry();
		if (registry != null) {
			registry.working(connection, fetcher.consumerId(), job);
		}
		try {
			if (!this.dispatcher.dispatch(job.raw())) {
				this.alreadyDelivered.incrementAndGet();
				this.logger.debug("Job on {} acknowledged without running: its publisher already ran the "
						+ "synchronous subscriber", job.queue());
			}
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
				throw (VirtualMachineError) ex;
			}
			fail(connection, fetcher, job, ex);
			BusErrorHandlers errorHandlers = this.errorHandlers;
			if (errorHandlers != null) {
				errorHandlers.failed(job.queue(), job.raw(), ex);
			}
			return;
		}
		fetcher.complete(connection, job);
	}

}
