package io.resquebus.subscription;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.RedisErrors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Writes this app's subscriptions to the registry when the application starts, replacing what
 * an earlier version of the app registered. If Redis does not answer, the application still starts
 * and the write is retried in the background until it succeeds.
 */
public class SubscriptionLifecycle implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionLifecycle.class);

	private static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

	private final SubscriptionRegistry registry;

	private final AppSubscriptions subscriptions;

	private volatile boolean running;

	private volatile boolean failing;

	private @Nullable ScheduledExecutorService retries;

	public SubscriptionLifecycle(SubscriptionRegistry registry, AppSubscriptions subscriptions) {
		this.registry = registry;
		this.subscriptions = subscriptions;
	}

	/** Before the runners start, so a worker never waits on queues the registry does not route to. */
	@Override
	public int getPhase() {
		return io.resquebus.runner.BusRunner.DEFAULT_PHASE - 1;
	}

	@Override
	public synchronized void start() {
		this.running = true;
		if (!this.subscriptions.hasAppKey()) {
			logger.debug("No app key: this application only publishes, no subscriptions to register");
			return;
		}
		if (!tryRegister()) {
			this.retries = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "resquebus-subscribe");
				thread.setDaemon(true);
				return thread;
			});
			this.retries.scheduleWithFixedDelay(() -> {
				if (tryRegister() && this.retries != null) {
					this.retries.shutdown();
				}
			}, RETRY_INTERVAL.toMillis(), RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private boolean tryRegister() {
		try {
			try {
				subscribe();
			}
			catch (RuntimeException ex) {
				if (!RedisErrors.isLostHandshake(ex)) {
					throw ex;
				}
				subscribe(); // the first connection lost its reason; the warning below should say why
			}
			logger.info("App '{}' subscribed with {} subscription(s) on queues {}", this.subscriptions.appKey(),
					this.subscriptions.all().size(), this.subscriptions.queues());
			return true;
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Could not write the subscriptions of app '{}' to Redis ({}); retrying every {}",
						this.subscriptions.appKey(), BusRedis.explain(ex), RETRY_INTERVAL);
				this.failing = true;
			}
			else {
				logger.debug("Subscriptions still not written", ex);
			}
			return false;
		}
	}

	private void subscribe() {
		this.registry.subscribe(this.subscriptions.appKey(), this.subscriptions.entries());
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.retries != null) {
			this.retries.shutdownNow();
			this.retries = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
