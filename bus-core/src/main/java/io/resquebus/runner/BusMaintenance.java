package io.resquebus.runner;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The background chores of a process that runs consumers: renews their leases and Resque
 * heartbeats, and recovers the in-flight jobs of dead consumers, on one daemon thread. Starts
 * before the runners and stops after them.
 */
public class BusMaintenance implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BusMaintenance.class);

	private final ConsumerRegistry registry;

	private final OrphanRecovery recovery;

	private final Duration interval;

	private @Nullable ScheduledExecutorService executor;

	private volatile boolean failing;

	/**
	 * @param interval how often to renew and recover; a third of the lease time or less
	 */
	public BusMaintenance(ConsumerRegistry registry, OrphanRecovery recovery, Duration interval) {
		this.registry = registry;
		this.recovery = recovery;
		this.interval = interval;
	}

	@Override
	public int getPhase() {
		return BusRunner.DEFAULT_PHASE - 1;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "resquebus-maintenance");
			thread.setDaemon(true);
			return thread;
		});
		long millis = Math.max(10, this.interval.toMillis());
		this.executor.scheduleWithFixedDelay(this::runOnce, 0, millis, TimeUnit.MILLISECONDS);
	}

	/** One round: renew, then recover. Never throws; logs one warning per Redis outage. */
	public void runOnce() {
		try {
			this.registry.renewAll();
			this.recovery.recover();
			if (this.failing) {
				logger.info("Bus maintenance works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Bus maintenance failed ({}); retrying every {}", ex.toString(), this.interval);
				this.failing = true;
			}
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
