package io.resquebus.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.resquebus.BusListener;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations of a real publish, drive and handle on Redis, and the trace context carried from
 * publisher to handler in {@code bus_trace}.
 */
class BusObservationsTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final FakePropagation propagation = new FakePropagation();

	private final List<Map<String, Object>> handled = new CopyOnWriteArrayList<>();

	private BusOnRedis app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.stop();
		}
	}

	@Test
	void observesPublishAndHandleWithEveryLowCardinalityKey() {
		start();
		String busId = this.app.template.publish("good", Map.of());
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.propagation.stopped.size() == 2);
		assertThat(this.registry).hasObservationWithNameEqualTo("resquebus.publish")
			.that()
			.hasBeenStarted()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("resquebus.app.key", "app")
			.hasLowCardinalityKeyValue("resquebus.event.type", "good")
			.hasLowCardinalityKeyValue("messaging.system", "redis")
			.hasLowCardinalityKeyValue("messaging.operation", "publish");
		assertThat(this.registry).hasObservationWithNameEqualTo("resquebus.handle")
			.that()
			.hasBeenStarted()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("resquebus.app.key", "app")
			.hasLowCardinalityKeyValue("resquebus.queue", "app_default")
			.hasLowCardinalityKeyValue("resquebus.subscription", "good_one")
			.hasLowCardinalityKeyValue("resquebus.event.type", "good")
			.hasLowCardinalityKeyValue("messaging.operation", "process")
			.hasHighCardinalityKeyValue("resquebus.bus.id", busId)
			.doesNotHaveError();
	}

	@Test
	void recordsTheHandlersErrorOnTheHandleObservation() {
		start();
		this.app.template.publish("bad", Map.of());
		await().atMost(Duration.ofSeconds(20)).until(() -> this.propagation.stopped.size() == 2);
		assertThat(this.registry).hasObservationWithNameEqualTo("resquebus.handle")
			.that()
			.hasLowCardinalityKeyValue("resquebus.subscription", "bad_one")
			.hasError();
	}

	@Test
	void carriesTheTraceContextFromPublisherToHandlerInBusTrace() {
		start();
		this.app.template.publish("good", Map.of());
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.propagation.extracted.size() == 1);
		String sent = this.propagation.injected.get(0);
		assertThat(this.handled.get(0).get(BusAttributes.TRACE)).isEqualTo(Map.of("traceparent", sent));
		assertThat(this.propagation.extracted).containsExactly(sent);
	}

	@Test
	void doesNotForwardAReceivedTraceAttributeAsItsOwn() {
		start();
		this.app.template.publish("good", Map.of(BusAttributes.TRACE, Map.of("traceparent", "stale")));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
		assertThat(this.handled.get(0).get(BusAttributes.TRACE))
			.isEqualTo(Map.of("traceparent", this.propagation.injected.get(0)));
	}

	@Test
	void addsNoTraceAttributeWithoutARegistry() {
		this.app = new BusOnRedis(this.bus, (event) -> this.handled.add(event.attributes()), new BusObservations(
				ObservationRegistry.NOOP, "app", new EventTypeTags(() -> List.of("good"), 10)));
		BusListener.Publishing publishing = new BusObservations(ObservationRegistry.NOOP, "app",
				new EventTypeTags(List::of, 10))
			.publishing("good");
		assertThat(publishing).isSameAs(BusListener.Publishing.NONE);
		this.app.template.publish("good", Map.of());
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
		assertThat(this.handled.get(0)).doesNotContainKey(BusAttributes.TRACE);
	}

	private void start() {
		this.registry.observationConfig().observationHandler(this.propagation);
		this.app = new BusOnRedis(this.bus, (event) -> this.handled.add(event.attributes()),
				new BusObservations(this.registry, "app", new EventTypeTags(() -> List.of("good", "bad"), 10)));
	}

	/** What a tracer's propagating handlers do: inject a traceparent on send, extract it on receive. */
	static final class FakePropagation implements ObservationHandler<Observation.Context> {

		final List<String> injected = new CopyOnWriteArrayList<>();

		final List<String> extracted = new CopyOnWriteArrayList<>();

		final List<String> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context.getName());
		}

		@Override
		@SuppressWarnings("unchecked")
		public void onStart(Observation.Context context) {
			if (context instanceof SenderContext<?> sender) {
				String traceparent = "00-" + "%032x".formatted(this.injected.size() + 1) + "-00f067aa0ba902b7-01";
				((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "traceparent", traceparent);
				this.injected.add(traceparent);
			}
			else if (context instanceof ReceiverContext<?> receiver) {
				String traceparent = ((ReceiverContext<Object>) receiver).getGetter()
					.get(receiver.getCarrier(), "traceparent");
				if (traceparent != null) {
					this.extracted.add(traceparent);
				}
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
