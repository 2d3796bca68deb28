package io.resquebus.driver;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.OutgoingEvent;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone local mode: the publisher fans out itself, exactly as a driver would, straight
 * onto the subscribers' queues.
 */
class StandaloneTransportTests {

	private static final long NOW = 1_718_000_000L;

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	private SubscriptionRegistry registry;

	@BeforeEach
	void subscribeTwoApps() {
		this.registry = new SubscriptionRegistry(this.bus.redis(), this.bus.keys(), this.codec, Duration.ZERO,
				this.bus.settings().clock());
		this.registry.subscribe("app_a",
				List.of(entry("app_a_default", "A.created", "user_created"), entry("app_a_critical", "A.any",
						"(?-mix:^user_)")));
		this.registry.subscribe("app_b", List.of(entry("app_b_default", "user_created", "user_created")));
	}

	@Test
	void pushesExactlyTheJobsADriverWouldPushStraightOntoTheSubscribersQueues() {
		BusKeys keys = this.bus.keys();
		new BusTemplate(this.bus.redis(), this.bus.goldenSettings(NOW)).publish("user_created", Map.of("id", 42));
		String incoming = this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE)).get(0);
		List<Push> expected = new Driver(this.bus.goldenSettings(NOW)).drive(this.codec.parseJob(incoming),
				this.registry.all(), NOW);
		this.bus.template().delete(List.of(keys.queue(BusKeys.INCOMING_QUEUE), keys.queues()));

		BusSettings settings = this.bus.goldenSettings(NOW);
		new BusTemplate(settings, new StandaloneTransport(this.bus.redis(), settings, this.registry))
			.publish("user_created", Map.of("id", 42));

		assertThat(expected).hasSize(3);
		for (Push push : expected) {
			assertThat(this.bus.list(keys.queue(push.queue()))).containsExactly(push.job());
		}
		assertThat(this.bus.members(keys.queues())).containsExactlyInAnyOrder("app_a_default", "app_a_critical",
				"app_b_default");
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).isEmpty();
	}

	@Test
	void fansOutEveryEventOfABatch() {
		template().publishAll(List.of(OutgoingEvent.of("user_created", Map.of("n", 1)),
				OutgoingEvent.of("user_paid", Map.of("n", 2))));
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.queue("app_a_critical"))).extracting(this::eventType)
			.containsExactly("user_created", "user_paid");
		assertThat(this.bus.list(keys.queue("app_a_default"))).extracting(this::eventType)
			.containsExactly("user_created");
		assertThat(this.bus.list(keys.queue("app_b_default"))).extracting(this::eventType)
			.containsExactly("user_created");
	}

	@Test
	void fansOutADelayedEventThatIsAlreadyDueAsADriverWouldWhenPublishingItAgain() {
		Instant due = this.bus.settings().clock().instant().minusSeconds(60);
		String busId = template().publishAt(due, "user_created", Map.of("id", 7));
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.queue("app_b_default"))).singleElement().satisfies((job) -> {
			Map<String, Object> event = this.codec.parseJob(job).event();
			assertThat(event).containsEntry(BusAttributes.ID, busId)
				.containsEntry(BusAttributes.DELAYED_UNTIL, (int) due.getEpochSecond())
				.containsEntry(BusAttributes.CLASS_PROXY, JobClasses.RIDER)
				.containsKey(BusAttributes.PUBLISHED_AT);
		});
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).isEmpty();
	}

	@Test
	void pushesNothingWhenNobodySubscribed() {
		template().publish("nobody_cares", Map.of());
		assertThat(this.bus.template().keys(this.bus.namespace() + ":queue*")).isEmpty();
	}

	@Test
	void pushesNoJobForTheSyncSubscriptionThePublisherRan() {
		List<String> ran = new CopyOnWriteArrayList<>();
		AppSubscriptions own = new AppSubscriptions("app_b");
		own.add(new LocalSubscription("user_created", "default", LocalSubscription.eventType("user_created"),
				(event) -> ran.add(event.id()), "test", true));
		this.registry.subscribe("app_b", own.entries());
		BusSettings settings = this.bus.settings();
		String busId = new BusTemplate(settings, new StandaloneTransport(this.bus.redis(), settings, this.registry),
				Map.of(), own)
			.publish("user_created", Map.of());
		assertThat(ran).containsExactly(busId);
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.queue("app_b_default"))).isEmpty();
		assertThat(this.bus.list(keys.queue("app_a_default"))).singleElement().asString().contains(busId);
	}

	private BusTemplate template() {
		BusSettings settings = this.bus.settings();
		return new BusTemplate(settings, new StandaloneTransport(this.bus.redis(), settings, this.registry));
	}

	private String eventType(String job) {
		return this.codec.parseJob(job).eventType();
	}

	private static SubscriptionEntry entry(String queue, String key, String eventType) {
		return new SubscriptionEntry(queue, key, JobClasses.RIDER, Map.of(BusAttributes.EVENT_TYPE, eventType));
	}

}
