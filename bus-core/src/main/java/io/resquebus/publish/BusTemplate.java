package io.resquebus.publish;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import org.springframework.dao.DataAccessException;

/**
 * Publishes events the way queue-bus does: adds the {@code bus_*} attributes and pushes a
 * driver job onto {@code bus_incoming}, where a driver (Java or Ruby) fans it out.
 */
public class BusTemplate implements BusOperations {

	private static final BusScript ENQUEUE = BusScript.load("enqueue");

	private final BusRedis redis;

	private final BusSettings settings;

	private final Map<String, Object> metadata;

	/**
	 * @param redis where events go
	 * @param settings namespace, host name, clock and id generator
	 * @param metadata extra metadata every event carries right after {@code bus_app_hostname}
	 * ({@code bus_context}, {@code bus_locale}, {@code bus_timezone}), usually empty
	 */
	public BusTemplate(BusRedis redis, BusSettings settings, Map<String, Object> metadata) {
		this.redis = redis;
		this.settings = settings;
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
	}

	public BusTemplate(BusRedis redis, BusSettings settings) {
		this(redis, settings, Map.of());
	}

	@Override
	public String publish(String eventType, Map<String, ?> attributes) {
		if (eventType.isEmpty()) {
			throw new IllegalArgumentException("Event type must not be empty");
		}
		long now = this.settings.epochSecond();
		String busId = this.settings.idGenerator().nextId(now);
		Map<String, Object> event = Events.published(now, eventType, busId, this.settings.hostname(), this.metadata,
				attributes, JobClasses.DRIVER);
		String job = this.settings.codec().job(event);
		BusKeys keys = this.settings.keys();
		try {
			this.redis.run(ENQUEUE, List.of(keys.queues(), keys.queue(BusKeys.INCOMING_QUEUE)),
					List.of(BusKeys.INCOMING_QUEUE, job));
		}
		catch (DataAccessException ex) {
			throw new BusPublishException("Could not publish '" + eventType + "' (bus_id " + busId + ") to Redis at "
					+ this.redis.describe() + ": " + ex.getMessage(), ex);
		}
		return busId;
	}

}
