package io.resquebus.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.micrometer.BusMetrics;
import io.resquebus.micrometer.EventTypeTags;
import io.resquebus.publish.BusTemplate;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.LogLines;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9 item 4: another app's registry entry with a catastrophically backtracking regex held the
 * driver indefinitely (0 of the next 10 events delivered within 41 s). With the match budget each
 * such match counts as no match, and the driver delivers every event to everyone else.
 */
class HostileRegexTests {

	private static final String BOMB = "(?-mix:^(a+)+\\1$)";

	private static final String DOTS = "(?-mix:^(.*a){12}$)";

	@RegisterExtension
	final TestBus bus = new TestBus();

	@RegisterExtension
	final LogLines lines = new LogLines(MatchBudget.class);

	@Test
	void driverDeliversEveryEventWhileHostileRegexesGoOverTheirBudget() {
		BusSettings settings = this.bus.settings();
		BusKeys keys = settings.keys();
		SubscriptionRegistry registry = new SubscriptionRegistry(this.bus.redis(), keys, settings.codec(),
				Duration.ZERO, settings.clock());
		registry.subscribe("evil", List.of(entry("evil_default", "bomb", BOMB), entry("evil_default", "dots", DOTS)));
		registry.subscribe("good", List.of(entry("good_default", "user_created", "user_created")));
		MatchBudget budget = MatchBudget.defaults();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		budget.setListener(new BusMetrics(meters, "driver_app", EventTypeTags.of(new AppSubscriptions("driver_app"), 10)));
		BusTemplate bus = new BusTemplate(this.bus.redis(), settings);
		bus.publish("user_created", Map.of("name", "a".repeat(40) + "!"));
		for (int i = 0; i < 10; i++) {
			bus.publish("user_created", Map.of("name", "a".repeat(32) + "!"));
		}
		bus.publish("user_created", Map.of("name", "aaaa"));
		DriverRunner driver = new DriverRunner(this.bus.redis(), settings, registry, 50, Duration.ofMillis(100));
		driver.setMatchBudget(budget);
		long start = System.nanoTime();
		driver.start();
		try {
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.bus.list(keys.queue("good_default")).size() == 12
						&& this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE)).isEmpty());
		}
		finally {
			driver.stop();
		}
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		// Only "aaaa" matches either hostile regex cheaply: (a+)+\1 as "aa" twice; (.*a){12} never.
		assertThat(this.bus.list(keys.queue("evil_default"))).singleElement()
			.satisfies((job) -> assertThat(settings.codec().parseJob(job).event()).containsEntry("bus_rider_sub_key", "bomb")
				.containsEntry("name", "aaaa"));
		assertThat(budget.exceeded()).containsExactly(Map.entry("evil/bomb", 11L), Map.entry("evil/dots", 11L));
		assertThat(meters.get(BusMetrics.MATCH_BUDGET_EXCEEDED).counter().count()).isEqualTo(22);
		List<String> warnings = this.lines.warnings();
		assertThat(warnings).isNotEmpty().hasSizeLessThanOrEqualTo(1 + (int) (elapsedMillis / 60_000));
		assertThat(warnings.get(0)).contains("evil/", "1000000 steps");
		System.out.printf("FAULT hostile regex: events=12 deliveredToGood=%d overBudgetMatches=%d warnLines=%d "
				+ "driverMillis=%d (%.1f ms per over-budget match)%n", this.bus.list(keys.queue("good_default")).size(),
				22, warnings.size(), elapsedMillis, elapsedMillis / 22.0);
	}

	private static SubscriptionEntry entry(String queue, String key, String value) {
		String name = value.startsWith("(?") ? "name" : "bus_event_type";
		return new SubscriptionEntry(queue, key, JobClasses.RIDER, Map.of(name, value));
	}

}
