package io.resquebus.runner;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.RedisErrors;
import io.resquebus.wire.Names;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Base of the driver, worker and scheduler runners: a fixed set of consumer threads, each with a
 * Redis connection of its own, polling until stopped. A Redis failure never ends a thread: it logs
 * one warning per outage, backs off up to a cap and carries on when Redis answers again. A consumer
 * that dies of anything else (an {@link Error} such as {@link OutOfMemoryError} included) is reported
 * in {@link #failedConsumers()} (health DOWN) and restarted with a back-off of its own, from
 * {@link #prepare} on, until it completes a poll again.
 * <p>
 * As a bean it publishes {@link BusRunnerEvent}s to the application context: started, stopped,
 * paused, resumed, and a consumer died.
 */
public abstract class BusRunner implements SmartLifecycle, RunnerControl, ApplicationEventPublisherAware {

	/** Late start, early stop: after and before everything the handlers use, as spring-kafka does. */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private static final AtomicInteger consumerSequence = new AtomicInteger();

	private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	/** Back-off cap while Redis answers with failover errors ({@code READONLY}...): a new master comes soon. */
	private static final Duration MAX_FAILOVER_BACKOFF = Duration.ofSeconds(1);

	private static final Duration MIN_RESTART_BACKOFF = Duration.ofSeconds(1);

	private static final Duration MAX_RESTART_BACKOFF = Duration.ofMinutes(1);

	/** How often a paused consumer looks whether it may fetch again. */
	private static final long PAUSE_CHECK_NANOS = Duration.ofMillis(200).toNanos();

	protected final Logger logger = LoggerFactory.getLogger(getClass());

	protected final BusRedis redis;

	private final String name;

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final Map<Thread, RedisConnection> connections = new ConcurrentHashMap<>();

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	/** Counts starts, so a consumer thread that outlived a stop never works for a later start. */
	private volatile long generation;

	private final Map<Integer, String> failures = new ConcurrentHashMap<>();

	private final Set<Thread> overrun = ConcurrentHashMap.newKeySet();

	private final AtomicLong consumerDeaths = new AtomicLong();

	private volatile Duration shutdownTimeout = Duration.ofSeconds(10);

	private volatile boolean autoStartup = true;

	private final RunnerPause pause = new RunnerPause(System::nanoTime);

	private volatile @Nullable ThreadFactory threadFactory;

	private volatile @Nullable ApplicationEventPublisher eventPublisher;

	protected BusRunner(BusRedis redis, String name) {
		this.redis = redis;
		this.name = name;
	}

	/** How many consumer threads to run. */
	protected abstract int consumers();

	/** Called once per consumer thread before its first poll, and again after every Redis failure. */
	protected void prepare(int consumer, RedisConnection connection) {
	}

	/** One round of work: fetch and handle what is there; may block on Redis for a bounded time. */
	protected abstract void poll(int consumer, RedisConnection connection);

	/**
	 * Whether something outside this runner pauses it now (e.g. Resque's {@code pause-all-workers});
	 * asked on the consumer thread before every poll, so it must be cheap most of the time.
	 */
	protected boolean pausedExternally(RedisConnection connection) {
		return false;
	}

	/**
	 * Called on the consumer thread before each pause between polls while paused: a chance to settle
	 * what the last poll left for the next one. Cheap when there is nothing to settle.
	 */
	protected void pausing(int consumer, RedisConnection connection) {
	}

	/**
	 * Called on the consumer thread when it is told to stop, while its connection is still open; not
	 * for a consumer {@link #overran} was called for.
	 */
	protected void finish(int consumer, RedisConnection connection) {
	}

	/**
	 * Called by {@link #stop()}, on the stopping thread, for a consumer still busy when the shutdown
	 * timeout ends: a chance to give back what it fetched and has not started.
	 * @return whether the consumer runs a job's handler now, so its connection stays open for the
	 * job's acknowledgement; otherwise it waits on Redis and its connection is closed to end the wait
	 */
	protected boolean overran(int consumer) {
		return false;
	}

	/**
	 * Called on the consumer thread when it died of something other than a Redis failure (an
	 * {@link Error} included), before it restarts after a back-off.
	 */
	protected void died(int consumer, Throwable error) {
	}

	/**
	 * Whether {@link #stop()} also interrupts the consumer threads, which ends a Redis call they wait
	 * on (e.g. while Redis is down) at once instead of after the shutdown timeout. Only for runners
	 * whose every Redis call is safe to abandon and that run no handler code on their threads.
	 */
	protected boolean interruptOnStop() {
		return false;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Makes the consumer threads, e.g. virtual threads; by default platform threads that keep the
	 * JVM alive. Takes effect at the next start.
	 */
	public void setThreadFactory(@Nullable ThreadFactory threadFactory) {
		this.threadFactory = threadFactory;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	/** A listener's failure is logged: it must not stop, pause or kill a runner. */
	private void publish(BusRunnerEvent event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher == null) {
			return;
		}
		try {
			publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			this.logger.warn("A listener of {} failed", event, ex);
		}
	}

	/** The factory set for consumer threads; {@code null} for the default platform threads. */
	public @Nullable ThreadFactory getThreadFactory() {
		return this.threadFactory;
	}

	@Override
	public void pause() {
		this.pause.pause();
		this.logger.info("{} paused", this.name);
		publish(new BusRunnerPausedEvent(this, this.name, null));
	}

	@Override
	public void pause(Duration duration) {
		this.pause.pause(duration);
		this.logger.info("{} paused for {}", this.name, duration);
		publish(new BusRunnerPausedEvent(this, this.name, duration));
	}

	@Override
	public void resume() {
		// Paused consumers look again within PAUSE_CHECK_NANOS; no lock here, stop() may hold it a while.
		this.pause.resume();
		this.logger.info("{} resumed", this.name);
		publish(new BusRunnerResumedEvent(this, this.name));
	}

	/** Paused by {@link #pause()} or {@link #pause(Duration)} (and not yet resumed or expired). */
	@Override
	public boolean isPaused() {
		return this.pause.isPaused();
	}

	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	@Override
	public void start() {
		int started;
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			long generation = ++this.generation;
			for (int i = 0; i < consumers(); i++) {
				int consumer = i;
				Thread thread = newThread(() -> consume(consumer, generation), this.name + "-" + i);
				this.threads.add(thread);
				thread.start();
			}
			started = this.threads.size();
			this.logger.info("{} started with {} consumer(s)", this.name, started);
		}
		publish(new BusRunnerStartedEvent(this, this.name, started));
	}

	/**
	 * Stops the consumers and waits for them up to the shutdown timeout. Holds a lock of its own,
	 * never the runner's monitor, so a consumer in a {@code synchronized} method of a subclass is
	 * not kept from finishing while this waits for it.
	 */
	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.generation++;
			long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
			for (Thread thread : this.threads) {
				LockSupport.unpark(thread);
				if (interruptOnStop()) {
					thread.interrupt();
				}
			}
			for (int i = 0; i < this.threads.size(); i++) {
				Thread thread = this.threads.get(i);
				try {
					thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				if (thread.isAlive()) {
					stopOverrun(i, thread);
				}
			}
			this.threads.clear();
			this.failures.clear();
			this.logger.info("{} stopped", this.name);
		}
		publish(new BusRunnerStoppedEvent(this, this.name));
	}

	/**
	 * Stops on a thread of its own and then runs the callback, so that Spring stops the driver, the
	 * worker and the scheduler (same phase) in parallel: the application's shutdown waits for the
	 * slowest, not for the sum of their shutdown timeouts.
	 */
	@Override
	public void stop(Runnable callback) {
		if (!this.running) {
			callback.run();
			return;
		}
		Thread stopping = new Thread(() -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		}, this.name + "-stop");
		stopping.start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * The consumers of a running runner that do not work now, by thread name, with the reason: died
	 * (and waiting to restart, or restarted but not yet through a poll) or ended. Empty when all is well.
	 */
	@Override
	public Map<String, String> failedConsumers() {
		// No lock: stop() holds the lifecycle lock while it waits for handlers, and health must not wait.
		Map<String, String> failed = new TreeMap<>();
		if (!this.running) {
			return failed;
		}
		List<Thread> threads = List.copyOf(this.threads);
		for (int i = 0; i < threads.size(); i++) {
			Thread thread = threads.get(i);
			String reason = this.failures.get(i);
			if (reason != null) {
				failed.put(thread.getName(), reason);
			}
			else if (!thread.isAlive()) {
				failed.put(thread.getName(), "ended");
			}
		}
		return failed;
	}

	/** How many times a consumer of this runner died of something other than a Redis failure. */
	public long consumerDeaths() {
		return this.consumerDeaths.get();
	}

	private void stopOverrun(int consumer, Thread thread) {
		this.overrun.add(thread);
		if (overran(consumer)) {
			this.logger.warn("{} still runs a handler after {}: its unstarted jobs went back to their queue; its "
					+ "running job is acknowledged when the handler returns, or recovered once its lease expires "
					+ "if the process ends first", thread.getName(), this.shutdownTimeout);
			return;
		}
		// Stuck on Redis (down, or slow): closing its connection ends the wait.
		this.logger.warn("{} did not finish within {}; its in-flight jobs stay in Redis for recovery", thread.getName(),
				this.shutdownTimeout);
		close(this.connections.get(thread));
	}

	private Thread newThread(Runnable task, String threadName) {
		ThreadFactory factory = this.threadFactory;
		if (factory == null) {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(false);
			return thread;
		}
		Thread thread = factory.newThread(task);
		thread.setName(threadName);
		return thread;
	}

	/** A consumer id in Resque's worker-id form {@code java@<host>:<pid>-<n>:<queues>} (see {@link Names#workerId}). */
	protected static String consumerId(String hostname, List<String> queues) {
		return Names.workerId(hostname, pid() + "-" + consumerSequence.incrementAndGet(), queues);
	}

	private static long pid() {
		try {
			return ProcessHandle.current().pid();
		}
		catch (UnsupportedOperationException ex) {
			return Long.parseLong(ManagementFactory.getRuntimeMXBean().getName().split("@")[0]);
		}
	}

	private boolean isCurrent(long generation) {
		return this.running && this.generation == generation;
	}

	private void consume(int consumer, long generation) {
		Duration backoff = MIN_BACKOFF;
		Duration restartBackoff = MIN_RESTART_BACKOFF;
		boolean outage = false;
		while (isCurrent(generation)) {
			RedisConnection connection = null;
			try {
				connection = this.redis.openConnection();
				this.connections.put(Thread.currentThread(), connection);
				prepare(consumer, connection);
				if (outage) {
					this.logger.info("{}: Redis at {} answers again, resuming", this.name, this.redis.describe());
					outage = false;
				}
				backoff = MIN_BACKOFF;
				while (isCurrent(generation)) {
					if (this.pause.isPaused() || pausedExternally(connection)) {
						// Nothing fetched is held while paused: the last poll finished its jobs.
						pausing(consumer, connection);
						long left = this.pause.remainingNanos();
						LockSupport.parkNanos((left > 0) ? Math.min(PAUSE_CHECK_NANOS, left) : PAUSE_CHECK_NANOS);
						continue;
					}
					poll(consumer, connection);
					if (!this.failures.isEmpty() && this.failures.remove(consumer) != null) {
						this.logger.info("{}-{} works again", this.name, consumer);
						restartBackoff = MIN_RESTART_BACKOFF;
					}
				}
				if (!this.overrun.remove(Thread.currentThread())) {
					finish(consumer, connection);
				}
			}
			catch (RuntimeException ex) {
				if (!isCurrent(generation)) {
					break;
				}
				if (!outage) {
					this.logger.warn("{}: Redis at {} failed ({}); retrying with back-off up to {}", this.name,
							this.redis.describe(), describe(ex), MAX_BACKOFF);
					outage = true;
				}
				else {
					this.logger.debug("{}: still failing", this.name, ex);
				}
				this.redis.failed(ex);
				String reason = RedisErrors.transientReason(ex);
				Duration cap = (reason != null && !reason.equals("connection")) ? MAX_FAILOVER_BACKOFF : MAX_BACKOFF;
				LockSupport.parkNanos(min(backoff, cap).toNanos());
				backoff = min(backoff.multipliedBy(2), cap);
			}
			catch (Throwable ex) {
				// Not a Redis failure: an Error (OutOfMemoryError, one a handler threw) or a bug.
				this.consumerDeaths.incrementAndGet();
				if (!isCurrent(generation)) {
					this.logger.error("{}-{} died while stopping", this.name, consumer, ex);
					break;
				}
				this.failures.put(consumer, "died of " + ex);
				this.logger.error("{}-{} died; restarting it in {}", this.name, consumer, restartBackoff, ex);
				try {
					died(consumer, ex);
				}
				catch (RuntimeException hookFailure) {
					this.logger.warn("{}-{}: cleaning up after its death failed", this.name, consumer, hookFailure);
				}
				publish(new BusConsumerDiedEvent(this, this.name, Thread.currentThread().getName(), ex,
						restartBackoff));
				LockSupport.parkNanos(restartBackoff.toNanos());
				restartBackoff = min(restartBackoff.multipliedBy(2), MAX_RESTART_BACKOFF);
			}
			finally {
				this.connections.remove(Thread.currentThread());
				close(connection);
			}
		}
		this.overrun.remove(Thread.currentThread());
	}

	/** The exception and its root cause: Spring's wrappers often say only "Redis exception". */
	static String describe(Throwable ex) {
		if (BusRedis.authenticationFailure(ex) != null) {
			return BusRedis.explain(ex);
		}
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == ex) ? ex.toString() : ex + "; cause: " + root;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private void close(@Nullable RedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				this.logger.debug("Closing a Redis connection failed", ex);
			}
		}
	}

}
