package io.resquebus.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.BusListener;
import io.resquebus.BusListener.Publishing;
import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import org.jspecify.annotations.Nullable;

/**
 * Publishes events the way queue-bus does: adds the {@code bus_*} attributes and hands the event
 * to its {@link EventTransport}, which depends on the local mode: by default a driver job on
 * {@code bus_incoming}, where a driver (Java or Ruby) fans it out, and delayed events in
 * resque-scheduler's delayed set.
 * <p>
 * Given this app's subscriptions, it first runs the synchronous subscribers an event matches
 * ({@code @BusSubscriber(sync = true)}) in the calling thread, and only then sends the event,
 * marked with {@code bus_sync_delivered} so that no driver or worker delivers it to them again.
 * A synchronous subscriber that throws stops the publish: its exception reaches the caller and
 * the event is not sent to anyone. Delayed events never run synchronous subscribers; they arrive
 * through the queue when due.
 */
public class BusTemplate implements BusOperations {

	private final BusSettings settings;

	private final EventTransport transport;

	private final Map<String, Object> metadata;

	private final EventConverter converter;

	private final @Nullable SyncDelivery sync;

	private volatile BusListener listener = BusListener.NONE;

	/**
	 * @param settings namespace, host name, clock and id generator
	 * @param transport where events go: the local mode
	 * @param metadata extra metadata every event carries right after {@code bus_app_hostname}
	 * ({@code bus_context}, {@code bus_locale}, {@code bus_timezone}), usually empty
	 * @param subscriptions this app's subscriptions, whose synchronous ones run in the publishing
	 * thread; {@code null} for none
	 */
	public BusTemplate(BusSettings settings, EventTransport transport, Map<String, Object> metadata,
			@Nullable AppSubscriptions subscriptions) {
		this.settings = settings;
		this.transport = transport;
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
		this.converter = new EventConverter(settings.codec().mapper());
		this.sync = (subscriptions != null && !transport.runsLocalHandlers())
				? new SyncDelivery(settings, subscriptions) : null;
	}

	/** A template for the given mode without synchronous subscribers. */
	public BusTemplate(BusSettings settings, EventTransport transport) {
		this(settings, transport, Map.of(), null);
	}

	/** A template in the default mode (a driver fans out) without synchronous subscribers. */
	public BusTemplate(BusRedis redis, BusSettings settings, Map<String, Object> metadata) {
		this(settings, new QueuedTransport(redis, settings), metadata, null);
	}

	public BusTemplate(BusRedis redis, BusSettings settings) {
		this(redis, settings, Map.of());
	}

	/** Told of every publish (metrics, tracing); none by default. */
	public void setListener(BusListener listener) {
		this.listener = listener;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Synchronous subscribers of this app run first, in this thread; if one throws, its exception
	 * (a checked one wrapped in a {@link BusHandlerException}) reaches the caller and nothing is
	 * published.
	 */
	@Override
	public String publish(String eventType, Map<String, ?> attributes) {
		requireType(eventType);
		Publishing publishing = this.listener.publishing(eventType);
		try {
			Prepared event = deliverSync(prepare(eventType, attributes, publishing));
			send(List.of(event.job()), describe(eventType, event.busId()), List.of(event.busId()));
			publishing.published();
			return event.busId();
		}
		catch (RuntimeException | Error ex) {
			publishing.failed(ex);
			throw ex;
		}
	}

	@Override
	public String publish(Object event) {
		OutgoingEvent outgoing = this.converter.toOutgoing(event);
		return publish(outgoing.eventType(), outgoing.attributes());
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Synchronous subscribers run for each event in order before anything is sent; if one throws,
	 * none of the events is published (the subscribers that already ran stay run).
	 */
	@Override
	public List<String> publishAll(Collection<?> events) {
		List<Prepared> prepared = new ArrayList<>(events.size());
		List<Publishing> publishings = new ArrayList<>(events.size());
		try {
			for (Object event : events) {
				OutgoingEvent outgoing = this.converter.toOutgoing(event);
				requireType(outgoing.eventType());
				Publishing publishing = this.listener.publishing(outgoing.eventType());
				publishings.add(publishing);
				prepared.add(prepare(outgoing.eventType(), outgoing.attributes(), publishing));
			}
			List<String> busIds = new ArrayList<>(prepared.size());
			List<String> jobs = new ArrayList<>(prepared.size());
			for (Prepared event : prepared) {
				Prepared sent = deliverSync(event);
				busIds.add(sent.busId());
				jobs.add(sent.job());
			}
			if (!jobs.isEmpty()) {
				send(jobs, jobs.size() + " events", busIds);
			}
			publishings.forEach(Publishing::published);
			return busIds;
		}
		catch (RuntimeException | Error ex) {
			publishings.forEach((publishing) -> publishing.failed(ex));
			throw ex;
		}
	}

	@Override
	public String publishAt(Instant when, String eventType, Map<String, ?> attributes) {
		requireType(eventType);
		Publishing publishing = this.listener.publishing(eventType);
		try {
			long now = this.settings.epochSecond();
			long due = when.getEpochSecond();
			String busId = busId(attributes, now);
			Map<String, Object> event = Events.delayed(due, eventType, busId, this.settings.hostname(),
					metadata(publishing), attributes);
			if (due <= now) {
				// resque-scheduler >= 4.5 enqueues an item that is already due instead of delaying it.
				send(List.of(this.settings.codec().job(event)), describe(eventType, busId), List.of(busId));
			}
			else {
				try {
					this.transport.schedule(due, event, describe(eventType, busId));
				}
				catch (BusPublishTimeoutException ex) {
					throw ex.withBusIds(List.of(busId));
				}
			}
			publishing.published();
			return busId;
		}
		catch (RuntimeException | Error ex) {
			publishing.failed(ex);
			throw ex;
		}
	}

	@Override
	public String publishIn(Duration delay, String eventType, Map<String, ?> attributes) {
		return publishAt(this.settings.clock().instant().plus(delay), eventType, attributes);
	}

	/** Sends through the transport; a timeout names the events it concerned, to retry under. */
	private void send(List<String> jobs, String what, List<String> busIds) {
		try {
			this.transport.send(jobs, what);
		}
		catch (BusPublishTimeoutException ex) {
			throw ex.withBusIds(busIds);
		}
	}

	/** The caller's {@code bus_id} when the attributes carry one, else a new one. */
	private String busId(Map<String, ?> attributes, long now) {
		String given = Events.callerBusId(attributes);
		return (given != null) ? given : this.settings.idGenerator().nextId(now);
	}

	private Prepared prepare(String eventType, Map<String, ?> attributes, Publishing publishing) {
		long now = this.settings.epochSecond();
		String busId = busId(attributes, now);
		Map<String, Object> event = Events.published(now, eventType, busId, this.settings.hostname(),
				metadata(publishing), attributes, JobClasses.DRIVER);
		return new Prepared(busId, event, this.settings.codec().job(event));
	}

	/** The configured metadata plus what the listener adds (such as {@code bus_trace}). */
	private Map<String, Object> metadata(Publishing publishing) {
		Map<String, Object> extra = publishing.attributes();
		if (extra.isEmpty()) {
			return this.metadata;
		}
		Map<String, Object> metadata = new LinkedHashMap<>(this.metadata);
		metadata.putAll(extra);
		return metadata;
	}

	/**
	 * Runs the synchronous subscribers the event matches, then marks it with them. Runs after the
	 * event was encoded, so an attribute Ruby cannot read fails the publish before any handler.
	 */
	private Prepared deliverSync(Prepared event) {
		if (this.sync == null) {
			return event;
		}
		List<String> delivered = this.sync.deliver(event.event(), event.job());
		if (delivered.isEmpty()) {
			return event;
		}
		Map<String, Object> marked = Events.syncDelivered(event.event(), delivered);
		return new Prepared(event.busId(), marked, this.settings.codec().job(marked));
	}

	private static String describe(String eventType, String busId) {
		return "'" + eventType + "' (bus_id " + busId + ")";
	}

	private static void requireType(String eventType) {
		if (eventType.isEmpty()) {
			throw new IllegalArgumentException("Event type must not be empty");
		}
	}

	private record Prepared(String busId, Map<String, Object> event, String job) {
	}

}
