package io.resquebus.driver;

import java.time.Duration;
import java.util.List;

import io.resquebus.BusSettings;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The driver, fed the incoming jobs Ruby published and the registry Ruby wrote, pushes exactly
 * the rider jobs Ruby's driver pushed.
 */
class DriverRunnerGoldenTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	@ParameterizedTest(name = "registry cache TTL {0}")
	@ValueSource(strings = { "PT0S", "PT1H" })
	void drivesRubyPublishedEventsToTheSameJobsRubysDriverWrote(Duration registryCacheTtl) {
		this.bus.load(Golden.load("02_published.json"));
		Golden driven = Golden.load("03_driven.json");
		BusSettings settings = this.bus.goldenSettings(TestBus.GOLDEN_NOW);
		DriverRunner runner = new DriverRunner(this.bus.redis(), settings, registry(settings, registryCacheTtl), 5,
				Duration.ofMillis(100));
		BusKeys keys = this.bus.keys();
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> "14".equals(this.bus.get(keys.statProcessed())));
		}
		finally {
			runner.stop();
		}
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).isEmpty();
		for (String queue : List.of("golden_app_default", "golden_app_critical", "golden_custom_q")) {
			assertThat(this.bus.list(keys.queue(queue))).as(queue)
				.containsExactlyElementsOf(driven.list("queue:" + queue));
		}
		assertThat(this.bus.members(keys.queues())).containsExactlyInAnyOrder("bus_incoming", "golden_app_default",
				"golden_app_critical", "golden_custom_q");
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:bus_incoming}:inflight:*"))
			.allSatisfy((key) -> assertThat(this.bus.list(key)).isEmpty());
	}

	@Test
	void sendsAnUnroutableIncomingJobToTheFailedListAndDrivesTheNextOne() {
		this.bus.load(Golden.load("01_subscribed.json"));
		BusKeys keys = this.bus.keys();
		String incoming = keys.queue(BusKeys.INCOMING_QUEUE);
		this.bus.template().opsForList().rightPushAll(incoming, "{not json",
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":\\\"x\\\",\\\"bus_class_proxy\\\":\\\"Nope\\\"}\"]}",
				Golden.load("02_published.json").list("queue:bus_incoming").get(0));
		BusSettings settings = this.bus.goldenSettings(TestBus.GOLDEN_NOW);
		DriverRunner runner = new DriverRunner(this.bus.redis(), settings, registry(settings, Duration.ZERO), 1,
				Duration.ofMillis(100));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.list(keys.queue("golden_app_default")).size() == 1);
		}
		finally {
			runner.stop();
		}
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(2);
		assertThat(failed.get(0)).contains("\"payload\":\"{not json\"").contains("not valid JSON")
			.contains("\"queue\":\"bus_incoming\"");
		assertThat(failed.get(1)).contains("Unknown bus_class_proxy 'Nope'");
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("2");
	}

	private SubscriptionRegistry registry(BusSettings settings, Duration cacheTtl) {
		this.bus.load(Golden.load("01_subscribed.json"));
		return new SubscriptionRegistry(this.bus.redis(), settings.keys(), settings.codec(), cacheTtl,
				settings.clock());
	}

}
