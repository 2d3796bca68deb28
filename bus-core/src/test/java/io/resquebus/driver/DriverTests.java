package io.resquebus.driver;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.subscription.Subscription;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The driver fan-out test vectors of the wire spec (section 12.2), byte for byte.
 */
class DriverTests {

	private static final long NOW = 1_718_000_500L;

	private final WireCodec codec = new WireCodec();

	private final Driver driver = new Driver(BusSettings.defaults()
		.withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
		.withHostname("java-host"));

	private final List<Subscription> registry = List.of(
			sub("app_b", "user_created", "{\"queue_name\":\"app_b_default\",\"key\":\"user_created\",\"class\":\"::QueueBus::Rider\",\"matcher\":{\"bus_event_type\":\"user_created\"}}"),
			sub("app_b", "(?-mix:^user_)", "{\"queue_name\":\"app_b_default\",\"key\":\"(?-mix:^user_)\",\"class\":\"::QueueBus::Rider\",\"matcher\":{\"bus_event_type\":\"(?-mix:^user_)\"}}"),
			sub("app_b", "my_key", "{\"queue_name\":\"app_b_default\",\"key\":\"my_key\",\"class\":\"::QueueBus::Rider\",\"matcher\":{\"user_id\":\"bus_special_value_present\",\"page\":\"homepage\"}}"),
			sub("app_b", "OtherSubscriber.user_paid", "{\"queue_name\":\"app_b_default\",\"key\":\"OtherSubscriber.user_paid\",\"class\":\"OtherSubscriber\",\"matcher\":{\"bus_event_type\":\"user_paid\"}}"),
			sub("app_b", "user_paid", "{\"queue_name\":\"app_b_critical\",\"key\":\"user_paid\",\"class\":\"::QueueBus::Rider\",\"matcher\":{\"bus_event_type\":\"user_paid\"}}"),
			sub("java_app", "Billing.onOrder", "{\"queue_name\":\"java_app_default\",\"key\":\"Billing.onOrder\",\"class\":\"::QueueBus::Rider\",\"matcher\":{\"bus_event_type\":\"(?-mix:^order_)\",\"amount\":\"bus_special_value_present\"}}"));

	@Test
	void fansOutToTwoSubscriptionsOfOneQueue() {
		List<Push> pushes = drive("{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_published_at\\\":1718000000,\\\"bus_event_type\\\":\\\"user_created\\\",\\\"bus_id\\\":\\\"1718000000-2b1f0c4e-6f0e-4a51-9d1e-0c2f5b8f7a11\\\",\\\"bus_app_hostname\\\":\\\"web-1\\\",\\\"bus_locale\\\":\\\"en\\\",\\\"id\\\":42,\\\"bus_class_proxy\\\":\\\"QueueBus::Driver\\\"}\"]}");
		String expected = "{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_driven_at\\\":1718000500,\\\"bus_rider_queue\\\":\\\"app_b_default\\\",\\\"bus_rider_app_key\\\":\\\"app_b\\\",\\\"bus_rider_sub_key\\\":\\\"user_created\\\",\\\"bus_rider_class_name\\\":\\\"::QueueBus::Rider\\\",\\\"bus_published_at\\\":1718000000,\\\"bus_event_type\\\":\\\"user_created\\\",\\\"bus_id\\\":\\\"1718000000-2b1f0c4e-6f0e-4a51-9d1e-0c2f5b8f7a11\\\",\\\"bus_app_hostname\\\":\\\"web-1\\\",\\\"bus_locale\\\":\\\"en\\\",\\\"id\\\":42,\\\"bus_class_proxy\\\":\\\"::QueueBus::Rider\\\"}\"]}";
		assertThat(pushes).containsExactlyInAnyOrder(new Push("app_b_default", expected),
				new Push("app_b_default", expected.replace("\\\"bus_rider_sub_key\\\":\\\"user_created\\\"",
						"\\\"bus_rider_sub_key\\\":\\\"(?-mix:^user_)\\\"")));
	}

	@Test
	void fansOutToCriticalQueueRegexAndSubscriberClass() {
		List<Push> pushes = drive("{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_published_at\\\":1718000100,\\\"bus_event_type\\\":\\\"user_paid\\\",\\\"bus_id\\\":\\\"1718000100-8d8043b7-7917-4b38-8ea9-fb7d585465d4\\\",\\\"bus_app_hostname\\\":\\\"web-1\\\",\\\"amount\\\":10.5,\\\"bus_class_proxy\\\":\\\"QueueBus::Driver\\\"}\"]}");
		assertThat(pushes).extracting(Push::queue)
			.containsExactlyInAnyOrder("app_b_critical", "app_b_default", "app_b_default");
		assertThat(pushes).extracting(Push::job)
			.contains("{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_driven_at\\\":1718000500,\\\"bus_rider_queue\\\":\\\"app_b_default\\\",\\\"bus_rider_app_key\\\":\\\"app_b\\\",\\\"bus_rider_sub_key\\\":\\\"OtherSubscriber.user_paid\\\",\\\"bus_rider_class_name\\\":\\\"OtherSubscriber\\\",\\\"bus_published_at\\\":1718000100,\\\"bus_event_type\\\":\\\"user_paid\\\",\\\"bus_id\\\":\\\"1718000100-8d8043b7-7917-4b38-8ea9-fb7d585465d4\\\",\\\"bus_app_hostname\\\":\\\"web-1\\\",\\\"amount\\\":10.5,\\\"bus_class_proxy\\\":\\\"OtherSubscriber\\\"}\"]}");
	}

	@Test
	void keepsStaleRiderAttributesOfAForwardedEvent() {
		List<Push> pushes = drive("{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_published_at\\\":1718000200,\\\"bus_event_type\\\":\\\"order_paid\\\",\\\"bus_id\\\":\\\"1718000200-0f6c3a52-93d4-4c8e-b7a1-5e2d9c4b1a07\\\",\\\"bus_app_hostname\\\":\\\"w-3\\\",\\\"bus_driven_at\\\":1718000150,\\\"bus_rider_queue\\\":\\\"app_b_default\\\",\\\"bus_rider_app_key\\\":\\\"app_b\\\",\\\"bus_rider_sub_key\\\":\\\"user_created\\\",\\\"bus_rider_class_name\\\":\\\"::QueueBus::Rider\\\",\\\"amount\\\":1.0e+20,\\\"bus_class_proxy\\\":\\\"QueueBus::Driver\\\"}\"]}");
		assertThat(pushes).containsExactly(new Push("java_app_default",
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_driven_at\\\":1718000150,\\\"bus_rider_queue\\\":\\\"app_b_default\\\",\\\"bus_rider_app_key\\\":\\\"app_b\\\",\\\"bus_rider_sub_key\\\":\\\"user_created\\\",\\\"bus_rider_class_name\\\":\\\"::QueueBus::Rider\\\",\\\"bus_published_at\\\":1718000200,\\\"bus_event_type\\\":\\\"order_paid\\\",\\\"bus_id\\\":\\\"1718000200-0f6c3a52-93d4-4c8e-b7a1-5e2d9c4b1a07\\\",\\\"bus_app_hostname\\\":\\\"w-3\\\",\\\"amount\\\":1.0e+20,\\\"bus_class_proxy\\\":\\\"::QueueBus::Rider\\\"}\"]}"));
	}

	@Test
	void pushesNoJobForASubscriptionItsPublisherAlreadyRanInProcess() {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put(BusAttributes.EVENT_TYPE, "user_paid");
		event.put(BusAttributes.SYNC_DELIVERED, List.of("app_b:user_paid", "java_app:user_paid"));
		event.put(BusAttributes.CLASS_PROXY, "QueueBus::Driver");
		List<Push> pushes = drive(this.codec.job(event));
		assertThat(pushes).extracting((push) -> this.codec.parseJob(push.job()).event().get(BusAttributes.RIDER_SUB_KEY))
			.containsExactlyInAnyOrder("(?-mix:^user_)", "OtherSubscriber.user_paid");
	}

	@Test
	void pushesNothingWhenNoSubscriptionMatches() {
		assertThat(drive(this.codec.job(Map.of(BusAttributes.EVENT_TYPE, "nobody_cares", BusAttributes.CLASS_PROXY,
				"QueueBus::Driver")))).isEmpty();
	}

	@Test
	void publishesADueDelayedEventAgainOntoTheIncomingQueue() {
		List<Push> pushes = this.driver.drive(this.codec.parseJob(Golden.delayedItemJob()), this.registry,
				1_700_000_031L);
		assertThat(pushes).containsExactly(new Push("bus_incoming", Golden.republishedJob()));
	}

	@Test
	void refusesJobsItCannotRoute() {
		assertThatExceptionOfType(UnroutableJobException.class)
			.isThrownBy(() -> drive("{\"class\":\"SomethingElse\",\"args\":[\"{}\"]}"))
			.withMessageContaining("SomethingElse");
		assertThatExceptionOfType(UnroutableJobException.class)
			.isThrownBy(() -> drive("{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":\\\"x\\\"}\"]}"))
			.withMessageContaining("bus_class_proxy");
	}

	private List<Push> drive(String job) {
		return this.driver.drive(this.codec.parseJob(job), this.registry, NOW);
	}

	private Subscription sub(String app, String field, String json) {
		return Subscription.of(app, this.codec.parseSubscription(app, field, json));
	}

	/** The delayed event of the golden run, as the scheduler moved it and as the Publisher step re-published it. */
	private static final class Golden {

		static String delayedItemJob() {
			return io.resquebus.support.Golden.load("06_delayed_enqueued.json").list("queue:bus_incoming").get(0);
		}

		static String republishedJob() {
			return io.resquebus.support.Golden.load("07_delayed_published.json").list("queue:bus_incoming").get(0);
		}

	}

}
