package io.resquebus.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.LogLines;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9 item 13: at the failed list's cap every failure dropped an entry and logged a WARN about
 * it, 15,000 lines for 15,000 drops. Now a few lines say how many were dropped.
 */
class FailedListFloodTests {

	private static final int DROPS = 15_000;

	private static final Pattern DROPPED = Pattern.compile("dropped the (\\d+) oldest in (\\d+) failure");

	@RegisterExtension
	final TestBus bus = new TestBus();

	@RegisterExtension
	final LogLines lines = new LogLines(DriverRunner.class);

	@Test
	void fifteenThousandDropsLogAFewWarningsThatCountThemAll() {
		BusSettings settings = this.bus.settings();
		BusKeys keys = settings.keys();
		List<String> garbage = new ArrayList<>(DROPS + 1);
		for (int i = 0; i <= DROPS; i++) {
			garbage.add("not a job " + i);
		}
		this.bus.template().opsForList().rightPushAll(keys.queue(BusKeys.INCOMING_QUEUE), garbage);
		DriverRunner driver = new DriverRunner(this.bus.redis(), settings, new SubscriptionRegistry(this.bus.redis(),
				keys, settings.codec(), Duration.ZERO, settings.clock()), 50, Duration.ofMillis(100));
		driver.setMaxFailed(1);
		long start = System.nanoTime();
		driver.start();
		try {
			await().atMost(Duration.ofMinutes(5))
				.until(() -> String.valueOf(DROPS + 1).equals(this.bus.get(keys.statFailed())));
		}
		finally {
			driver.stop();
		}
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(this.bus.list(keys.failed())).singleElement().satisfies((entry) -> assertThat(entry).contains(
				"not a job " + DROPS));
		assertThat(driver.trimmedFailures()).isEqualTo(DROPS);
		List<String> dropLines = this.lines.warnings().stream().filter((line) -> line.contains("over its maximum")).toList();
		long dropped = 0;
		long failures = 0;
		for (String line : dropLines) {
			Matcher counts = DROPPED.matcher(line);
			assertThat(counts.find()).as(line).isTrue();
			dropped += Long.parseLong(counts.group(1));
			failures += Long.parseLong(counts.group(2));
		}
		assertThat(dropped).isEqualTo(DROPS);
		assertThat(failures).isEqualTo(DROPS);
		// The first drop, then at most one a minute, then the rest when the driver stops.
		assertThat(dropLines).hasSizeBetween(2, 2 + (int) (elapsedMillis / 60_000));
		assertThat(dropLines.get(dropLines.size() - 1)).contains("(" + DROPS + " dropped in all)");
		System.out.printf("FAULT failed-list flood: failures=%d dropped=%d dropWarnLines=%d (was %d) driverMillis=%d%n",
				DROPS + 1, driver.trimmedFailures(), dropLines.size(), DROPS, elapsedMillis);
	}

}
