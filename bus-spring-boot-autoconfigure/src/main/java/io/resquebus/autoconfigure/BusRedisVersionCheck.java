package io.resquebus.autoconfigure;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.UnsupportedRedisVersionException;
import io.resquebus.runner.BusRunner;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Fails the application start when the bus's Redis is older than it needs (see
 * {@code RedisServerVersion}), before subscriptions are written and runners start. A Redis that
 * does not answer yet does not stop the start, as everywhere else in the bus.
 */
class BusRedisVersionCheck implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(BusRedisVersionCheck.class);

	private final BusRedis redis;

	private volatile boolean running;

	BusRedisVersionCheck(BusRedis redis) {
		this.redis = redis;
	}

	@Override
	public void start() {
		this.running = true;
		try {
			this.redis.requireSupportedServer();
		}
		catch (UnsupportedRedisVersionException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			logger.debug("Could not check the version of Redis at " + this.redis.describe() + ": "
					+ BusRedis.explain(ex));
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Before the subscriptions are written ({@code BusRunner.DEFAULT_PHASE - 1}) and the runners start. */
	@Override
	public int getPhase() {
		return BusRunner.DEFAULT_PHASE - 2;
	}

}
