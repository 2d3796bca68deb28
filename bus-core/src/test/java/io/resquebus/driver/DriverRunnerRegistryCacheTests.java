package io.resquebus.driver;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusTemplate;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A driver reusing the registry it read still drives an event to an app another Java app
 * subscribed before the event was published.
 */
class DriverRunnerRegistryCacheTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void drivesToAnAppSubscribedThroughJavaAfterTheDriverReadTheRegistry() {
		drivesToAnAppSubscribedAfterTheDriverReadTheRegistry(0);
	}

	/** With a size limit, the default, every fetch is the fetch script, which reads the registry version too. */
	@Test
	void drivesToAnAppSubscribedThroughJavaAfterTheDriverReadTheRegistryWhenTheFetchReadsItsVersion() {
		drivesToAnAppSubscribedAfterTheDriverReadTheRegistry(10 * 1024 * 1024);
	}

	private void drivesToAnAppSubscribedAfterTheDriverReadTheRegistry(long maxPayloadSize) {
		BusSettings settings = this.bus.settings();
		BusKeys keys = settings.keys();
		registry(settings).subscribe("app_a", List.of(entry("app_a_default")));
		DriverRunner runner = new DriverRunner(this.bus.redis(), settings, registry(settings), 10,
				Duration.ofMillis(100));
		runner.setMaxPayloadSize(maxPayloadSize);
		BusTemplate publisher = new BusTemplate(this.bus.redis(), settings);
		runner.start();
		try {
			publisher.publish("user_created", Map.of("n", 1));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.list(keys.queue("app_a_default")).size() == 1);
			registry(settings).subscribe("app_b", List.of(entry("app_b_default")));
			publisher.publish("user_created", Map.of("n", 2));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.list(keys.queue("app_a_default")).size() == 2);
		}
		finally {
			runner.stop();
		}
		assertThat(this.bus.list(keys.queue("app_b_default"))).singleElement().asString().contains("\\\"n\\\":2");
	}

	private SubscriptionRegistry registry(BusSettings settings) {
		return new SubscriptionRegistry(this.bus.redis(), settings.keys(), settings.codec(), Duration.ofHours(1),
				settings.clock());
	}

	private static SubscriptionEntry entry(String queue) {
		return new SubscriptionEntry(queue, "user_created", JobClasses.RIDER, Map.of("bus_event_type", "user_created"));
	}

}
