package io.resquebus.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import io.resquebus.BusSettings;
import io.resquebus.invoke.UnknownSubscriptionException;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker runs the rider jobs Ruby's driver wrote: handlers get their events, the critical
 * queue goes first, and a throwing handler lands in Resque's failed list in Resque's format.
 */
class WorkerRunnerGoldenTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void handlesRubyDrivenJobsCriticalFirstAndRecordsFailuresInResqueFormat() {
		Golden driven = Golden.load("03_driven.json");
		this.bus.load(driven);
		AppSubscriptions subscriptions = new AppSubscriptions("golden_app");
		for (String key : List.of("user_created", "order_any", "usd_payments", "tier_3_vip", "email_present",
				"special_mix")) {
			subscriptions.add(new LocalSubscription(key, "default", LocalSubscription.eventType("x"), record(key),
					"test"));
		}
		subscriptions.add(new LocalSubscription("critical_alert", "critical", LocalSubscription.eventType("x"),
				record("critical_alert"), "test"));
		subscriptions.add(new LocalSubscription("boom_handler", "default", LocalSubscription.eventType("boom"),
				(event) -> {
					throw new IllegalArgumentException("kaboom golden");
				}, "test"));
		BusSettings settings = this.bus.goldenSettings(TestBus.GOLDEN_NOW);
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), settings, subscriptions,
				List.of("golden_app_critical", "golden_app_default", "golden_custom_q"), 1, Duration.ofMillis(100));
		BusKeys keys = this.bus.keys();
		long processedByRubysDriver = Long.parseLong(this.bus.get(keys.statProcessed()));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> Long.toString(processedByRubysDriver + 11).equals(this.bus.get(keys.statProcessed())));
		}
		finally {
			runner.stop();
		}
		assertThat(this.handled).containsExactly("critical_alert:1700000000-00000000-0000-4000-8000-000000000006",
				"user_created:1700000000-00000000-0000-4000-8000-000000000001",
				"order_any:1700000000-00000000-0000-4000-8000-000000000002",
				"usd_payments:1700000000-00000000-0000-4000-8000-000000000003",
				"tier_3_vip:1700000000-00000000-0000-4000-8000-000000000005",
				"email_present:1700000000-00000000-0000-4000-8000-000000000007",
				"special_mix:1700000000-00000000-0000-4000-8000-000000000008",
				"user_created:1700000000-00000000-0000-4000-8000-000000000014");
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(3);
		String boomJob = driven.list("queue:golden_app_default").stream().filter((job) -> job.contains("boom_handler"))
			.findFirst().orElseThrow();
		String boom = failed.stream().filter((entry) -> entry.contains("kaboom")).findFirst().orElseThrow();
		assertThat(boom).startsWith("{\"failed_at\":\"2023/11/14 22:13:20 UTC\",\"payload\":" + boomJob
				+ ",\"exception\":\"java.lang.IllegalArgumentException\",\"error\":\"kaboom golden\",\"backtrace\":[\"");
		assertThat(boom).endsWith("\"worker\":\"" + runner.consumerIds().get(0)
				+ "\",\"queue\":\"golden_app_default\"}");
		assertThat(failed).filteredOn((entry) -> entry.contains("GoldenSubscriber")).hasSize(2)
			.allSatisfy((entry) -> assertThat(entry).contains(UnknownSubscriptionException.class.getName()));
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("3");
		for (String queue : List.of("golden_app_critical", "golden_app_default", "golden_custom_q")) {
			assertThat(this.bus.list(keys.queue(queue))).as(queue).isEmpty();
		}
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*"))
			.allSatisfy((key) -> assertThat(this.bus.list(key)).isEmpty());
	}

	@Test
	void retriesAFailingRiderJobAsRubysResqueRetryDid() {
		Golden driven = Golden.load("03_driven.json");
		Golden ridden = Golden.load("04_ridden.json");
		this.bus.load(driven);
		AtomicInteger runs = new AtomicInteger();
		AppSubscriptions subscriptions = new AppSubscriptions("golden_app");
		subscriptions.add(new LocalSubscription("boom_handler", "default", LocalSubscription.eventType("boom"),
				(event) -> {
					runs.incrementAndGet();
					throw new IllegalArgumentException("kaboom golden");
				}, "test"));
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), this.bus.goldenSettings(TestBus.GOLDEN_NOW),
				subscriptions, List.of("golden_app_default"), 1, Duration.ofMillis(100));
		runner.setRetryPolicy(BusRetryPolicies.resqueRetry());
		BusKeys keys = this.bus.keys();
		String delayed = "delayed:" + (TestBus.GOLDEN_NOW + 60);
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 2 && !this.bus.list(
					keys.prefix() + delayed).isEmpty());
		}
		finally {
			runner.stop();
		}
		List<String> item = ridden.list(delayed);
		assertThat(this.bus.list(keys.prefix() + delayed)).isEqualTo(item);
		assertThat(this.bus.members(keys.timestamps(item.get(0)))).containsExactly(delayed);
		String counter = ridden.keys().keySet().stream().filter((key) -> key.contains("resque-retry:"))
			.findFirst().orElseThrow().substring("resque:".length());
		assertThat(keys.retryCounter(this.bus.settings().codec().parseJob(item.get(0)).eventJson()))
			.isEqualTo(keys.prefix() + counter);
		assertThat(this.bus.get(keys.prefix() + counter)).isEqualTo(ridden.string(counter));
		// resque-retry's suppression backend writes no failure for a pending retry (the golden run used the plain one)
		assertThat(this.bus.list(keys.failed())).noneMatch((entry) -> entry.contains("kaboom"));
	}

	private BusHandler record(String key) {
		return (BusEvent event) -> this.handled.add(key + ":" + event.id());
	}


}
