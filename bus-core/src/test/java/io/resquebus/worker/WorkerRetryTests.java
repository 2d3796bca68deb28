package io.resquebus.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.BusHandler;
import io.resquebus.BusSettings;
import io.resquebus.invoke.EventBindingException;
import io.resquebus.invoke.UnknownSubscriptionException;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.retry.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries of failed handler runs, resque-retry's way, on a real Redis: counter key, immediate
 * re-push, delayed item, give-up, classification.
 */
class WorkerRetryTests {

	private static final long NOW = 1_750_000_000L;

	private static final RetryPolicy ZERO_THEN_MINUTE = BusRetryPolicies.delays(3,
			List.of(Duration.ZERO, Duration.ofSeconds(60)), Duration.ZERO);

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	private final List<String> runs = new CopyOnWriteArrayList<>();

	@Test
	void retriesAtOnceThenWaitsInTheDelayedSetWithTheJobsBytesAndCountsAsResqueRetry() {
		BusKeys keys = this.bus.keys();
		String job = job("s_default", "e1");
		WorkerRunner runner = runner(ZERO_THEN_MINUTE, null, failing());
		push(job);
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.size() == 2
					&& !this.bus.list(keys.delayed(NOW + 60)).isEmpty());
		}
		finally {
			runner.stop();
		}
		String item = job.substring(0, job.length() - 1) + ",\"queue\":\"app_default\"}";
		assertThat(this.bus.list(keys.delayed(NOW + 60))).containsExactly(item);
		assertThat(this.bus.members(keys.timestamps(item))).containsExactly("delayed:" + (NOW + 60));
		assertThat(this.bus.template().opsForZSet().rangeWithScores(keys.delayedSchedule(), 0, -1))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.getScore()).isEqualTo(NOW + 60.0));
		assertThat(this.bus.get(keys.retryCounter(eventJson(job)))).isEqualTo("1");
		assertThat(this.bus.list(keys.queue("app_default"))).isEmpty();
		assertThat(this.bus.list(keys.failed())).isEmpty();
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("2");
		assertThat(runner.retriedCount()).isEqualTo(2);
	}

	@Test
	void sendsTheJobToTheFailedListOnceAfterItsLastAttempt() {
		BusKeys keys = this.bus.keys();
		String job = job("s_default", "e1");
		WorkerRunner runner = runner(ZERO_THEN_MINUTE, null, failing());
		push(job);
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.bus.list(keys.delayed(NOW + 60)).isEmpty());
			moveDueRetries(NOW + 61);
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.bus.list(keys.failed()).isEmpty());
		}
		finally {
			runner.stop();
		}
		assertThat(this.runs).hasSize(3);
		assertThat(this.bus.list(keys.failed())).singleElement()
			.asString()
			.contains("\"payload\":" + job)
			.contains("\"error\":\"boom\"");
		assertThat(this.bus.template().hasKey(keys.retryCounter(eventJson(job)))).isFalse();
		assertThat(this.bus.template().hasKey(keys.delayedSchedule())).isFalse();
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("3");
	}

	@Test
	void clearsTheCounterWhenARetrySucceeds() {
		BusKeys keys = this.bus.keys();
		String job = job("s_default", "e1");
		AtomicInteger calls = new AtomicInteger();
		WorkerRunner runner = runner(ZERO_THEN_MINUTE, null, (event) -> {
			this.runs.add(event.id());
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("boom");
			}
		});
		push(job);
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(this.bus.get(keys.statProcessed())));
		}
		finally {
			runner.stop();
		}
		assertThat(this.runs).containsExactly("e1", "e1");
		assertThat(this.bus.template().hasKey(keys.retryCounter(eventJson(job)))).isFalse();
		assertThat(this.bus.list(keys.failed())).isEmpty();
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("1");
	}

	@Test
	void sendsAnErrorRetryingCannotFixStraightToTheFailedList() {
		BusKeys keys = this.bus.keys();
		String job = job("s_default", "e1");
		WorkerRunner runner = runner(ZERO_THEN_MINUTE, null, (event) -> {
			this.runs.add(event.id());
			throw new EventBindingException("cannot bind", new IllegalArgumentException("bad"));
		});
		push(job);
		push(job("gone", "e2"));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.list(keys.failed()).size() == 2);
		}
		finally {
			runner.stop();
		}
		assertThat(this.runs).containsExactly("e1");
		assertThat(this.bus.list(keys.failed())).satisfiesExactly(
				(entry) -> assertThat(entry).contains(EventBindingException.class.getName()),
				(entry) -> assertThat(entry).contains(UnknownSubscriptionException.class.getName()));
		assertThat(this.bus.template().keys(this.bus.namespace() + ":resque-retry:*")).isEmpty();
		assertThat(this.bus.template().hasKey(keys.delayedSchedule())).isFalse();
	}

	@Test
	void usesTheSubscriptionsOwnPolicyOverTheDefault() {
		BusKeys keys = this.bus.keys();
		String own = job("s_own", "e1");
		String none = job("s_none", "e2");
		WorkerRunner runner = runner(BusRetryPolicies.resqueRetry(),
				Map.of("s_own", BusRetryPolicies.delays(2, List.of(Duration.ofSeconds(30)), Duration.ZERO), "s_none",
						BusRetryPolicies.none()),
				failing());
		push(own);
		push(none);
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.size() == 2
					&& !this.bus.list(keys.failed()).isEmpty() && !this.bus.list(keys.delayed(NOW + 30)).isEmpty());
		}
		finally {
			runner.stop();
		}
		assertThat(this.bus.list(keys.delayed(NOW + 30))).singleElement().asString().contains("\\\"e1\\\"");
		assertThat(this.bus.list(keys.failed())).singleElement().asString().contains("\\\"e2\\\"");
		assertThat(this.bus.get(keys.retryCounter(eventJson(own)))).isEqualTo("0");
		assertThat(this.bus.template().hasKey(keys.retryCounter(eventJson(none)))).isFalse();
	}

	@Test
	void neverRetriesAJobWithoutARiderQueue() {
		BusKeys keys = this.bus.keys();
		Map<String, Object> event = event("s_default", "e1");
		event.remove(BusAttributes.RIDER_QUEUE);
		WorkerRunner runner = runner(BusRetryPolicies.resqueRetry(), null, failing());
		push(this.codec.job(event));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.bus.list(keys.failed()).isEmpty());
		}
		finally {
			runner.stop();
		}
		assertThat(this.runs).hasSize(1);
		assertThat(this.bus.template().keys(this.bus.namespace() + ":resque-retry:*")).isEmpty();
	}

	@Test
	void runsARetryAgainOnceTheSchedulerMovesItBack() {
		BusKeys keys = this.bus.keys();
		String job = job("s_default", "e1");
		AtomicInteger calls = new AtomicInteger();
		BusSettings settings = this.bus.settings();
		WorkerRunner runner = runner(settings, BusRetryPolicies.delays(2, List.of(Duration.ofSeconds(1)),
				Duration.ZERO), null, (event) -> {
					this.runs.add(event.id());
					if (calls.incrementAndGet() == 1) {
						throw new IllegalStateException("boom");
					}
				});
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), settings, Duration.ofMillis(50), 10);
		push(job);
		runner.start();
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(this.bus.get(keys.statProcessed())));
		}
		finally {
			scheduler.stop();
			runner.stop();
		}
		assertThat(this.runs).containsExactly("e1", "e1");
		assertThat(this.bus.list(keys.failed())).isEmpty();
		assertThat(this.bus.template().hasKey(keys.retryCounter(eventJson(job)))).isFalse();
		assertThat(this.bus.template().hasKey(keys.delayedSchedule())).isFalse();
	}

	private void moveDueRetries(long epochSecond) {
		BusSettings later = this.bus.settings()
			.withClock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), later, Duration.ofMillis(50), 10);
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> !this.bus.template().hasKey(this.bus.keys().delayedSchedule()));
		}
		finally {
			scheduler.stop();
		}
	}

	private BusHandler failing() {
		return (event) -> {
			this.runs.add(event.id());
			throw new IllegalStateException("boom");
		};
	}

	private WorkerRunner runner(RetryPolicy policy, @Nullable Map<String, RetryPolicy> own, BusHandler handler) {
		BusSettings settings = this.bus.settings().withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
		return runner(settings, policy, own, handler);
	}

	private WorkerRunner runner(BusSettings settings, RetryPolicy policy, @Nullable Map<String, RetryPolicy> own,
			BusHandler handler) {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		for (String key : List.of("s_default", "s_own", "s_none")) {
			LocalSubscription subscription = new LocalSubscription(key, "default", LocalSubscription.eventType("e"),
					handler, "t");
			subscriptions.add((own != null) ? subscription.withRetry(own.get(key)) : subscription);
		}
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), settings, subscriptions, List.of(), 1,
				Duration.ofMillis(100));
		runner.setRetryPolicy(policy);
		return runner;
	}

	private void push(String job) {
		this.bus.template().opsForList().rightPush(this.bus.keys().queue("app_default"), job);
	}

	private String job(String subKey, String busId) {
		return this.codec.job(event(subKey, busId));
	}

	/** A rider job as a driver writes it. */
	private Map<String, Object> event(String subKey, String busId) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put(BusAttributes.DRIVEN_AT, NOW);
		event.put(BusAttributes.RIDER_QUEUE, "app_default");
		event.put(BusAttributes.RIDER_APP_KEY, "app");
		event.put(BusAttributes.RIDER_SUB_KEY, subKey);
		event.put(BusAttributes.RIDER_CLASS_NAME, JobClasses.RIDER);
		event.put(BusAttributes.EVENT_TYPE, "e");
		event.put(BusAttributes.ID, busId);
		event.put(BusAttributes.CLASS_PROXY, JobClasses.RIDER);
		return event;
	}

	private String eventJson(String job) {
		return this.codec.parseJob(job).eventJson();
	}

}
