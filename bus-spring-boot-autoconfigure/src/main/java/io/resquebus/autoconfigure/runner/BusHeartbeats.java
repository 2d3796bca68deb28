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
 * publishes through the auto-configured {@link BusTemplate}, so its events pass the same
 * listeners (metrics, tracing), publish timeout and transport as the application's (in the
 * {@code standalone} mode straight to the subscribers' queues). Only when the application
 * replaced the template with a {@code BusOperations} of its own (a recording one in a test) does
 * it use a plain template on the application's transport.
 */
final class BusHeartbeats {

	private BusHeartbeats() {
	}

	static Heartbeat create(BusRedis redis, BusSettings settings, ObjectProvider<BusTemplate> template,
			ObjectProvider<EventTransport> transport, ResqueBusProperties properties) {
		ResqueBusProperties.Heartbeat heartbeat = properties.getHeartbeat();
		ZoneId zone = (heartbeat.getZone() != null) ? heartbeat.getZone() : ZoneId.systemDefault();
		String environment = (heartbeat.getEnvironment() != null) ? heartbeat.getEnvironment()
				: Heartbeat.rubyEnvironment(System::getenv);
		BusTemplate publishing = template.getIfUnique(() -> new BusTemplate(settings,
				transport.getIfAvailable(() -> new QueuedTransport(redis, settings))));
		return new Heartbeat(redis, settings, publishing, zone, Heartbeat.isDevelopment(environment));
	}

}
