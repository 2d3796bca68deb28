package io.resquebus.autoconfigure.runner;

import java.time.ZoneId;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.driver.Heartbeat;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.EventTransport;
import io.resquebus.publish.QueuedTransport;
import io.resquebus.redis.BusRedis;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The heartbeat the driver and the scheduler run, configured by {@code resquebus.heartbeat.*}. It
 * publishes through the application's transport (in the {@code standalone} mode straight to the
 * subscribers' queues, as no driver drains the incoming queue) but not through its
 * {@code BusOperations}, which tests may replace with a recording one.
 */
final class BusHeartbeats {

	private BusHeartbeats() {
	}

	static Heartbeat create(BusRedis redis, BusSettings settings, ObjectProvider<EventTransport> transport,
			ResqueBusProperties properties) {
		ResqueBusProperties.Heartbeat heartbeat = properties.getHeartbeat();
		ZoneId zone = (heartbeat.getZone() != null) ? heartbeat.getZone() : ZoneId.systemDefault();
		String environment = (heartbeat.getEnvironment() != null) ? heartbeat.getEnvironment()
				: Heartbeat.rubyEnvironment(System::getenv);
		EventTransport publishing = transport.getIfAvailable(() -> new QueuedTransport(redis, settings));
		return new Heartbeat(redis, settings, new BusTemplate(settings, publishing), zone,
				Heartbeat.isDevelopment(environment));
	}

}
