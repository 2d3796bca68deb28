package io.resquebus.autoconfigure.runner;

import java.time.ZoneId;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.driver.Heartbeat;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;

/**
 * The heartbeat the driver and the scheduler run, configured by {@code resquebus.heartbeat.*}. It
 * publishes straight to Redis (not through the application's {@code BusOperations}, which tests
 * may replace with a recording one).
 */
final class BusHeartbeats {

	private BusHeartbeats() {
	}

	static Heartbeat create(BusRedis redis, BusSettings settings, ResqueBusProperties properties) {
		ResqueBusProperties.Heartbeat heartbeat = properties.getHeartbeat();
		ZoneId zone = (heartbeat.getZone() != null) ? heartbeat.getZone() : ZoneId.systemDefault();
		String environment = (heartbeat.getEnvironment() != null) ? heartbeat.getEnvironment()
				: Heartbeat.rubyEnvironment(System::getenv);
		return new Heartbeat(redis, settings, new BusTemplate(redis, settings), zone,
				Heartbeat.isDevelopment(environment));
	}

}
