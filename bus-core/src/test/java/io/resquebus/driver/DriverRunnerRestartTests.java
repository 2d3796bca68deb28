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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A driver stopped and started again at runtime, or paused, drives every event exactly once.
 */
class DriverRunnerRestartTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void drivesEveryEventOnceAcrossStopsAndStartsAndPauses() {
		this.bus.load(Golden.load("01_subscribed.json"));
		this.bus.load(Golden.load("02_published.json"));
		Golden driven = Golden.load("03_driven.json");
		BusSettings settings = this.bus.goldenSettings(TestBus.GOLDEN_NOW);
		DriverRunner runner = new DriverRunner(this.bus.redis(), settings, new SubscriptionRegistry(this.bus.redis(),
				settings.keys(), settings.codec(), Duration.ZERO, settings.clock()), 1, Duration.ofMillis(100));
		BusKeys keys = this.bus.keys();
		runner.start();
		runner.stop();
		runner.pause();
		runner.start();
		runner.stop();
		assertThat(runner.isRunning()).isFalse();
		runner.start();
		try {
			runner.resume();
			await().atMost(Duration.ofSeconds(20)).until(() -> "14".equals(this.bus.get(keys.statProcessed())));
		}
		finally {
			runner.stop();
		}
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).isEmpty();
		for (String queue : List.of("golden_app_default", "golden_app_critical", "golden_custom_q")) {
			assertThat(this.bus.list(keys.queue(queue))).as(queue)
				.containsExactlyElementsOf(driven.list("queue:" + queue));
		}
	}

}
