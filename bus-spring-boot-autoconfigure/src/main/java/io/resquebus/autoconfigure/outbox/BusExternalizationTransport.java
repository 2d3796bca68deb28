package io.resquebus.autoconfigure.outbox;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.resquebus.publish.BusOperations;
import io.resquebus.publish.EventConverter;
import io.resquebus.publish.OutgoingEvent;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.modulith.events.Externalized;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.support.EventExternalizationTransport;

/**
 * Publishes an externalized application event on the bus: the {@code @Externalized} target is
 * the event type (without one, the type the bus gives the class: {@code @EventType} or its
 * name in snake case), and the event's properties, read by the bus's JSON mapper, are the
 * attributes. A map (from an externalization mapping) is taken as the attributes.
 */
public class BusExternalizationTransport implements EventExternalizationTransport {

	private final BusOperations bus;

	private final EventConverter converter;

	public BusExternalizationTransport(BusOperations bus, EventConverter converter) {
		this.bus = bus;
		this.converter = converter;
	}

	@Override
	public CompletableFuture<?> externalize(Object payload, RoutingTarget target) {
		try {
			return this.bus.publishAsync(toOutgoing(payload, target));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	OutgoingEvent toOutgoing(Object payload, RoutingTarget target) {
		if (payload instanceof Map<?, ?> map) {
			@SuppressWarnings("unchecked")
			Map<String, ?> attributes = (Map<String, ?>) map;
			return new OutgoingEvent(target.getTarget(), attributes);
		}
		OutgoingEvent outgoing = this.converter.toOutgoing(payload);
		Externalized externalized = AnnotatedElementUtils.findMergedAnnotation(payload.getClass(),
				Externalized.class);
		boolean named = externalized != null && !externalized.value().isEmpty();
		return named ? new OutgoingEvent(target.getTarget(), outgoing.attributes()) : outgoing;
	}

}
