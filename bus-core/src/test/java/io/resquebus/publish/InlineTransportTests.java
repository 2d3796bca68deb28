package io.resquebus.publish;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import io.resquebus.BusSettings;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.JobClasses;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The inline local mode, without any Redis: this app's handlers run in the publishing thread.
 */
class InlineTransportTests {

	private static final long NOW = 1_718_000_000L;

	private final BusSettings settings = BusSettings.defaults()
		.withHostname("test-host")
		.withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

	private final AppSubscriptions subscriptions = new AppSubscriptions("app");

	private final BusTemplate template = new BusTemplate(this.settings,
			new InlineTransport(this.settings, this.subscriptions), Map.of(), this.subscriptions);

	private final List<String> sequence = new CopyOnWriteArrayList<>();

	private final List<BusEvent> received = new CopyOnWriteArrayList<>();

	@Test
	void runsEveryMatchingHandlerInThePublishingThreadBeforePublishReturns() {
		Thread publisher = Thread.currentThread();
		subscribe("first", "user_created", false, (event) -> this.sequence
			.add("first on publisher thread: " + (Thread.currentThread() == publisher)));
		subscribe("second", "user_created", false, (event) -> this.sequence.add("second"));
		subscribe("other", "order_placed", false, (event) -> this.sequence.add("other"));
		this.template.publish("user_created", Map.of());
		this.sequence.add("published");
		assertThat(this.sequence).containsExactly("first on publisher thread: true", "second", "published");
	}

	@Test
	void runsASyncSubscriberOnlyOnce() {
		subscribe("sync", "user_created", true, (event) -> this.sequence.add("sync"));
		this.template.publish("user_created", Map.of());
		assertThat(this.sequence).containsExactly("sync");
	}

	@Test
	void handsHandlersTheEventAsAWorkerWouldReadIt() {
		subscribe("first", "user_created", false, this.received::add);
		String busId = this.template.publish("user_created", Map.of("id", 42, "amount", 10.5f));
		assertThat(this.received).singleElement().satisfies((event) -> {
			assertThat(event.id()).isEqualTo(busId);
			assertThat(event.subscriptionKey()).isEqualTo("first");
			assertThat(event.publishedAt()).isEqualTo(Instant.ofEpochSecond(NOW));
			assertThat(event.attributes()).containsEntry("id", 42)
				.containsEntry("amount", 10.5d)
				.containsEntry(BusAttributes.RIDER_QUEUE, "app_default")
				.containsEntry(BusAttributes.CLASS_PROXY, JobClasses.RIDER);
		});
	}

	@Test
	void propagatesAHandlersExceptionAndRunsNoLaterHandler() {
		subscribe("failing", "user_created", false, (event) -> {
			throw new IllegalStateException("handler broke");
		});
		subscribe("later", "user_created", false, (event) -> this.sequence.add("later"));
		assertThatIllegalStateException().isThrownBy(() -> this.template.publish("user_created", Map.of()))
			.withMessage("handler broke");
		assertThat(this.sequence).isEmpty();
	}

	@Test
	void wrapsACheckedException() {
		subscribe("failing", "user_created", false, (event) -> {
			throw new IOException("disk full");
		});
		assertThatExceptionOfType(BusHandlerException.class)
			.isThrownBy(() -> this.template.publish("user_created", Map.of()))
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void rejectsAValueRubyCannotReadBeforeAnyHandlerRuns() {
		subscribe("first", "user_created", false, (event) -> this.sequence.add("first"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.template.publishAll(List.of(OutgoingEvent.of("user_created", Map.of()),
					OutgoingEvent.of("user_created", Map.of("when", new Object())))));
		assertThat(this.sequence).isEmpty();
	}

	@Test
	void deliversEveryEventOfABatchInOrder() {
		subscribe("first", "user_created", false, (event) -> this.sequence.add("n=" + event.get("n")));
		this.template.publishAll(List.of(OutgoingEvent.of("user_created", Map.of("n", 1)),
				OutgoingEvent.of("user_created", Map.of("n", 2))));
		assertThat(this.sequence).containsExactly("n=1", "n=2");
	}

	@Test
	void deliversADelayedEventAtOnceAsItWouldLookWhenDue() {
		subscribe("first", "user_created", false, this.received::add);
		String busId = this.template.publishIn(Duration.ofHours(1), "user_created", Map.of("id", 1));
		assertThat(this.received).singleElement().satisfies((event) -> {
			assertThat(event.id()).isEqualTo(busId);
			assertThat(event.get(BusAttributes.DELAYED_UNTIL)).isEqualTo((int) (NOW + 3600));
			assertThat(event.publishedAt()).isEqualTo(Instant.ofEpochSecond(NOW));
			assertThat(event.attributes()).containsEntry("id", 1)
				.containsEntry(BusAttributes.CLASS_PROXY, JobClasses.RIDER);
		});
	}

	@Test
	void deliversNothingWhenNoHandlerMatches() {
		assertThat(this.template.publish("user_created", Map.of())).isNotBlank();
		assertThat(new BusTemplate(this.settings, new InlineTransport(this.settings, new AppSubscriptions(null)))
			.publish("user_created", Map.of())).isNotBlank();
	}

	private void subscribe(String key, String eventType, boolean sync, BusHandler handler) {
		this.subscriptions.add(new LocalSubscription(key, "default", LocalSubscription.eventType(eventType), handler,
				"test", sync));
	}

}
