package io.resquebus.runner;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping a runner right after starting it, while its consumer is still setting up (a
 * {@code synchronized} method of the subclass), does not wait for the shutdown timeout.
 */
class BusRunnerStopTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void stopsAtOnceWhenStoppedRightAfterStarting() throws Exception {
		BusSettings settings = this.bus.settings();
		SubscriptionRegistry registry = new SubscriptionRegistry(this.bus.redis(), settings.keys(), settings.codec(),
				Duration.ZERO, settings.clock());
		DriverRunner driver = new DriverRunner(this.bus.redis(), settings, registry, 10, Duration.ofMillis(100));
		driver.setShutdownTimeout(Duration.ofMinutes(5));
		CompletableFuture<Void> cycles = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 30; i++) {
				driver.start();
				driver.stop();
			}
		});
		cycles.get(60, TimeUnit.SECONDS);
		assertThat(driver.isRunning()).isFalse();
	}

}
