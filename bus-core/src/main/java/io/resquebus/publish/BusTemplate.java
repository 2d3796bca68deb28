package io.resquebus.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * driver job onto {@code bus_incoming}, where a driver (Java or Ruby) fans it out; delayed
 * events go to resque-scheduler's delayed set.
 */
public class BusTemplate implements BusOperations {

	private static final BusScript ENQUEUE = BusScript.load("enqueue");

	private static final BusScript DELAY = BusScript.load("delay");

	private final BusRedis redis;

	private final BusSettings settings;

	private final Map<String, Object> metadata;

	private final EventConverter converter;

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
		this.converter = new EventConverter(settings.codec().mapper());
	}

	public BusTemplate(BusRedis redis, BusSettings settings) {
		this(redis, settings, Map.of());
	}

	@Override
	public String publish(String eventType, Map<String, ?> attributes) {
		Prepared event = prepare(eventType, attributes);
		enqueue(List.of(event.job()), "'" + eventType + "' (bus_id " + event.busId() + ")");
		return event.busId();
	}

	@Override
	public String publish(Object event) {
		OutgoingEvent outgoing = this.converter.toOutgoing(event);
		return publish(outgoing.eventType(), outgoing.attributes());
	}

	@Override
	public List<String> publishAll(Collection<?> events) {
		List<String> busIds = new ArrayList<>(events.size());
		List<String> jobs = new ArrayList<>(events.size());
		for (Object event : events) {
			OutgoingEvent outgoing = this.converter.toOutgoing(event);
			Prepared prepared = prepare(outgoing.eventType(), outgoing.attributes());
			busIds.add(prepared.busId());
			jobs.add(prepared.job());
		}
		if (!jobs.isEmpty()) {
			enqueue(jobs, events.size() + " events");
		}
		return busIds;
	}

	@Override
	public String publishAt(Instant when, String eventType, Map<String, ?> attributes) {
		requireType(eventType);
		long now = this.settings.epochSecond();
		long due = when.getEpochSecond();
		String busId = this.settings.idGenerator().nextId(now);
		Map<String, Object> event = Events.delayed(due, eventType, busId, this.settings.hostname(), this.metadata,
				attributes);
		if (due <= now) {
			// resque-scheduler >= 4.5 enqueues an item that is already due instead of delaying it.
			enqueue(List.of(this.settings.codec().job(event)), "'" + eventType + "' (bus_id " + busId + ")");
			return busId;
		}
		BusKeys keys = this.settings.keys();
		String item = this.settings.codec().delayedItem(event, BusKeys.INCOMING_QUEUE);
		try {
			this.redis.run(DELAY, List.of(keys.delayed(due), keys.timestamps(item), keys.delayedSchedule()),
					List.of(Long.toString(due), item, "delayed:" + due));
		}
		catch (DataAccessException ex) {
			throw failure("'" + eventType + "' (bus_id " + busId + ")", ex);
		}
		return busId;
	}

	@Override
	public String publishIn(Duration delay, String eventType, Map<String, ?> attributes) {
		return publishAt(this.settings.clock().instant().plus(delay), eventType, attributes);
	}

	private Prepared prepare(String eventType, Map<String, ?> attributes) {
		requireType(eventType);
		long now = this.settings.epochSecond();
		String busId = this.settings.idGenerator().nextId(now);
		Map<String, Object> event = Events.published(now, eventType, busId, this.settings.hostname(), this.metadata,
				attributes, JobClasses.DRIVER);
		return new Prepared(busId, this.settings.codec().job(event));
	}

	private void enqueue(List<String> jobs, String what) {
		BusKeys keys = this.settings.keys();
		List<String> args = new ArrayList<>(jobs.size() + 1);
		args.add(BusKeys.INCOMING_QUEUE);
		args.addAll(jobs);
		try {
			this.redis.run(ENQUEUE, List.of(keys.queues(), keys.queue(BusKeys.INCOMING_QUEUE)), args);
		}
		catch (DataAccessException ex) {
			throw failure(what, ex);
		}
	}

	private BusPublishException failure(String what, DataAccessException ex) {
		return new BusPublishException(
				"Could not publish " + what + " to Redis at " + this.redis.describe() + ": " + ex.getMessage(), ex);
	}

	private static void requireType(String eventType) {
		if (eventType.isEmpty()) {
			throw new IllegalArgumentException("Event type must not be empty");
		}
	}

	private record Prepared(String busId, String job) {
	}

}
