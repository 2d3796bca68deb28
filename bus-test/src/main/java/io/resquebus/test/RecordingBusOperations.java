package io.resquebus.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.resquebus.BusSettings;
import io.resquebus.internal.InProcessDelivery;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.EventConverter;
import io.resquebus.publish.OutgoingEvent;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BusOperations} for tests that records every published event instead of sending it to
 * Redis; assert on it with {@link BusAssertions}. Events are built exactly as the real
 * {@code BusTemplate} builds them ({@code bus_*} metadata, {@code bus_id}, objects through the bus's
 * JSON mapper) and a value Ruby could not read back is refused at publish, as there.
 *
 * <p>With an {@link InProcessDelivery}, recorded events can also run the app's own handlers in the
 * calling thread: at publish ({@code deliverOnPublish}) or when the test says so
 * ({@link #deliverAll()}, {@link #deliverDue()}). Delayed events are never delivered at publish
 * before they are due. Safe to use from several threads.
 */
public class RecordingBusOperations implements BusOperations {

	/** Bounds {@link #deliverAll()} when handlers keep publishing events that reach handlers again. */
	private static final int MAX_DELIVERIES = 10_000;

	private final BusSettings settings;

	private final EventConverter converter;

	private final @Nullable InProcessDelivery delivery;

	private final boolean deliverOnPublish;

	private final List<RecordedEvent> events = new ArrayList<>();

	private final LinkedList<RecordedEvent> undelivered = new LinkedList<>();

	/** Records with the bus's defaults (namespace {@code resque}, this host's name, system clock). */
	public RecordingBusOperations() {
		this(BusSettings.defaults());
	}

	/** Records without delivering to any handler. */
	public RecordingBusOperations(BusSettings settings) {
		this(settings, null, false);
	}

	/**
	 * @param settings host name, clock, id generator and JSON mapper, as the real template uses them
	 * @param delivery runs the app's matching handlers; {@code null} for none
	 * @param deliverOnPublish whether each publish also runs the matching handlers before it returns
	 * (a handler's exception then reaches the publisher); otherwise they run on {@link #deliverAll()}
	 */
	public RecordingBusOperations(BusSettings settings, @Nullable InProcessDelivery delivery,
			boolean deliverOnPublish) {
		if (deliverOnPublish && delivery == null) {
			throw new IllegalArgumentException("Delivering on publish needs an InProcessDelivery");
		}
		this.settings = settings;
		this.converter = new EventConverter(settings.codec().mapper());
		this.delivery = delivery;
		this.deliverOnPublish = deliverOnPublish;
	}

	@Override
	public String publish(String eventType, Map<String, ?> attributes) {
		RecordedEvent event = prepare(eventType, attributes);
		record(List.of(event));
		return event.busId();
	}

	@Override
	public String publish(Object event) {
		OutgoingEvent outgoing = this.converter.toOutgoing(event);
		return publish(outgoing.eventType(), outgoing.attributes());
	}

	/** Records all the events or, if one of them cannot be published, none. */
	@Override
	public List<String> publishAll(Collection<?> events) {
		List<RecordedEvent> prepared = new ArrayList<>(events.size());
		for (Object event : events) {
			OutgoingEvent outgoing = this.converter.toOutgoing(event);
			prepared.add(prepare(outgoing.eventType(), outgoing.attributes()));
		}
		record(prepared);
		return prepared.stream().map(RecordedEvent::busId).toList();
	}

	@Override
	public String publishAt(Instant when, String eventType, Map<String, ?> attributes) {
		requireType(eventType);
		Instant now = this.settings.clock().instant();
		long due = when.getEpochSecond();
		String busId = busId(attributes, now.getEpochSecond());
		Map<String, Object> event = Events.delayed(due, eventType, busId, this.settings.hostname(), Map.of(),
				attributes);
		RecordedEvent recorded = new RecordedEvent(eventType, busId, userAttributes(attributes), wire(event), now,
				Instant.ofEpochSecond(due));
		record(List.of(recorded));
		return busId;
	}

	@Override
	public String publishIn(Duration delay, String eventType, Map<String, ?> attributes) {
		return publishAt(this.settings.clock().instant().plus(delay), eventType, attributes);
	}

	/** Every recorded event, in the order they were published. */
	public List<RecordedEvent> events() {
		synchronized (this.events) {
			return List.copyOf(this.events);
		}
	}

	/** The recorded events of one type, in the order they were published. */
	public List<RecordedEvent> events(String eventType) {
		return events().stream().filter((event) -> event.eventType().equals(eventType)).toList();
	}

	/** The recorded events no handler has been given yet, in the order they were published. */
	public List<RecordedEvent> undelivered() {
		synchronized (this.events) {
			return List.copyOf(this.undelivered);
		}
	}

	/** Forgets every recorded event, delivered or not. */
	public void clear() {
		synchronized (this.events) {
			this.events.clear();
			this.undelivered.clear();
		}
	}

	/**
	 * Runs the app's matching handlers for every event not delivered yet, delayed ones included
	 * (the test does not wait for them), in publish order and in the calling thread; events the
	 * handlers publish meanwhile are delivered too. An event is delivered at most once.
	 * @return the events delivered
	 * @throws IllegalStateException if there are no handlers to deliver to
	 * @throws DeliveryFailedException if a handler threw a checked exception (an unchecked one
	 * propagates as it is); the events after it stay undelivered
	 */
	public List<RecordedEvent> deliverAll() {
		return deliver((event) -> true);
	}

	/**
	 * As {@link #deliverAll()}, but only events not delayed or already due by the bus's clock.
	 * @return the events delivered
	 */
	public List<RecordedEvent> deliverDue() {
		return deliver(this::isDue);
	}

	/** The settings events are built with (for normalizing expected values in assertions). */
	BusSettings settings() {
		return this.settings;
	}

	/** The value as a subscriber reads it back from the wire. */
	@Nullable Object wireValue(@Nullable Object value) {
		Map<String, @Nullable Object> wrapper = Collections.singletonMap("value", value);
		return wire(wrapper).get("value");
	}

	/** The caller's {@code bus_id} when the attributes carry one (kept, as the real template does), else a new one. */
	private String busId(Map<String, ?> attributes, long epochSecond) {
		String given = Events.callerBusId(attributes);
		return (given != null) ? given : this.settings.idGenerator().nextId(epochSecond);
	}

	private RecordedEvent prepare(String eventType, Map<String, ?> attributes) {
		requireType(eventType);
		Instant now = this.settings.clock().instant();
		long epochSecond = now.getEpochSecond();
		String busId = busId(attributes, epochSecond);
		Map<String, Object> event = Events.published(epochSecond, eventType, busId, this.settings.hostname(),
				Map.of(), attributes, JobClasses.DRIVER);
		return new RecordedEvent(eventType, busId, userAttributes(attributes), wire(event), now, null);
	}

	private void record(List<RecordedEvent> recorded) {
		synchronized (this.events) {
			this.events.addAll(recorded);
			this.undelivered.addAll(recorded);
		}
		if (this.deliverOnPublish) {
			for (RecordedEvent event : recorded) {
				if (isDue(event) && take(event)) {
					deliver(event);
				}
			}
		}
	}

	private List<RecordedEvent> deliver(Predicate<RecordedEvent> filter) {
		if (this.delivery == null) {
			throw new IllegalStateException("This RecordingBusOperations has no handlers to deliver to: create it "
					+ "with an InProcessDelivery, or use @AutoConfigureRecordingBus in a Spring Boot test");
		}
		List<RecordedEvent> delivered = new ArrayList<>();
		RecordedEvent next;
		while ((next = takeFirst(filter)) != null) {
			if (delivered.size() == MAX_DELIVERIES) {
				throw new IllegalStateException("Delivered " + MAX_DELIVERIES
						+ " events and handlers are still publishing more; do they publish what they handle?");
			}
			delivered.add(next);
			deliver(next);
		}
		return delivered;
	}

	private @Nullable RecordedEvent takeFirst(Predicate<RecordedEvent> filter) {
		synchronized (this.events) {
			for (Iterator<RecordedEvent> iterator = this.undelivered.iterator(); iterator.hasNext();) {
				RecordedEvent event = iterator.next();
				if (filter.test(event)) {
					iterator.remove();
					return event;
				}
			}
			return null;
		}
	}

	private boolean take(RecordedEvent event) {
		synchronized (this.events) {
			return this.undelivered.remove(event);
		}
	}

	/** Runs the handlers outside the lock: they may publish, from this thread or others. */
	private void deliver(RecordedEvent recorded) {
		InProcessDelivery delivery = this.delivery;
		if (delivery == null) {
			return;
		}
		Map<String, Object> event = new LinkedHashMap<>(recorded.event());
		if (recorded.isScheduled()) {
			// What the scheduler publishes when the event is due (spec 8.2).
			event = Events.republished(event, this.settings.epochSecond(), this.settings.hostname(),
					recorded.busId());
		}
		try {
			delivery.deliver(event, (subscription) -> true);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new DeliveryFailedException("A handler of '" + recorded.eventType() + "' (bus_id "
					+ recorded.busId() + ") failed: " + ex, ex);
		}
	}

	private boolean isDue(RecordedEvent event) {
		Instant due = event.dueAt();
		return due == null || due.getEpochSecond() <= this.settings.epochSecond();
	}

	/** The caller's attributes without the hop attributes a publisher strips, as the wire carries them. */
	private Map<String, @Nullable Object> userAttributes(Map<String, ?> attributes) {
		Map<String, @Nullable Object> user = new LinkedHashMap<>(attributes.size());
		attributes.forEach((name, value) -> {
			if (!BusAttributes.HOP_ATTRIBUTES.contains(name)) {
				user.put(name, value);
			}
		});
		return wire(user);
	}

	/** Writes as the publisher would and reads back as a subscriber would; refuses what Ruby cannot read. */
	private Map<String, @Nullable Object> wire(Map<String, ?> map) {
		WireCodec codec = this.settings.codec();
		return codec.readObject(codec.eventJson(map));
	}

	private static void requireType(String eventType) {
		if (eventType.isEmpty()) {
			throw new IllegalArgumentException("Event type must not be empty");
		}
	}

}
