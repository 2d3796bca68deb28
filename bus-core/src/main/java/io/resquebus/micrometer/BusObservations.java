package io.resquebus.micrometer;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.resquebus.BusListener;
import io.resquebus.wire.BusAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Observes publishes and handler calls with Micrometer Observation, carrying the trace context
 * from publisher to handler in the {@code bus_trace} attribute. Costs nothing beyond a check when
 * the registry is a no-op one.
 */
public final class BusObservations implements BusListener {

	private final ObservationRegistry registry;

	private final String app;

	private final EventTypeTags eventTypes;

	private final @Nullable BusPublishObservationConvention publishConvention;

	private final @Nullable BusHandleObservationConvention handleConvention;

	/**
	 * @param appKey this app's key; {@code null} for none
	 * @param publishConvention replaces the default publish convention; {@code null} for the default
	 * @param handleConvention replaces the default handle convention; {@code null} for the default
	 */
	public BusObservations(ObservationRegistry registry, @Nullable String appKey, EventTypeTags eventTypes,
			@Nullable BusPublishObservationConvention publishConvention,
			@Nullable BusHandleObservationConvention handleConvention) {
		this.registry = registry;
		this.app = (appKey != null && !appKey.isEmpty()) ? appKey : EventTypeTags.NONE;
		this.eventTypes = eventTypes;
		this.publishConvention = publishConvention;
		this.handleConvention = handleConvention;
	}

	public BusObservations(ObservationRegistry registry, @Nullable String appKey, EventTypeTags eventTypes) {
		this(registry, appKey, eventTypes, null, null);
	}

	/** Whether the registry records anything (not a no-op one), so the observations also time handlers. */
	public boolean observing() {
		return !this.registry.isNoop();
	}

	@Override
	public Publishing publishing(String eventType) {
		if (this.registry.isNoop()) {
			return Publishing.NONE;
		}
		BusPublishContext context = new BusPublishContext(this.app, this.eventTypes.tag(eventType));
		Observation observation = BusObservation.PUBLISH
			.observation(this.publishConvention, DefaultBusPublishObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		return new Publishing() {

			@Override
			public Map<String, Object> attributes() {
				Map<String, String> carrier = context.getCarrier();
				return (carrier == null || carrier.isEmpty()) ? Map.of()
						: Map.of(BusAttributes.TRACE, new LinkedHashMap<>(carrier));
			}

			@Override
			public void published() {
				observation.stop();
			}

			@Override
			public void failed(Throwable error) {
				observation.error(error);
				observation.stop();
			}

		};
	}

	@Override
	public Handling handling(String queue, String subKey, Map<String, Object> event) {
		if (this.registry.isNoop()) {
			return Handling.NONE;
		}
		Object type = event.get(BusAttributes.EVENT_TYPE);
		Object busId = event.get(BusAttributes.ID);
		BusHandleContext context = new BusHandleContext(trace(event.get(BusAttributes.TRACE)), this.app, queue,
				subKey, this.eventTypes.tag((type != null) ? type.toString() : null),
				(busId != null) ? busId.toString() : EventTypeTags.NONE);
		Observation observation = BusObservation.HANDLE
			.observation(this.handleConvention, DefaultBusHandleObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		Observation.Scope scope = observation.openScope();
		return new Handling() {

			@Override
			public void succeeded() {
				scope.close();
				observation.stop();
			}

			@Override
			public void failed(Throwable error) {
				observation.error(error);
				scope.close();
				observation.stop();
			}

		};
	}

	/** The {@code bus_trace} fields, or none when the attribute is missing or not an object. */
	static Map<String, String> trace(@Nullable Object attribute) {
		if (!(attribute instanceof Map<?, ?> map)) {
			return Map.of();
		}
		Map<String, String> fields = new LinkedHashMap<>();
		map.forEach((key, value) -> {
			if (key != null && value != null) {
				fields.put(key.toString(), value.toString());
			}
		});
		return fields;
	}

}
