package io.resquebus.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.resquebus.BusSettings;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plain job whose handler opts into retries is retried as resque-retry retries it
 * ({@code @retry_limit = 3, @retry_delay = 60}): the same counter keys and values, the same
 * delayed items, the same stats, round after round, until it gives up (golden {@code resque/17, 17b});
 * under resque-retry's back-off (ExponentialBackoff's defaults) at once, then a minute later (17c, 17d).
 * One difference, by design: like resque-retry's {@code MultipleWithRetrySuppression} backend,
 * only the attempt that gives up writes a failed entry (Ruby's default backend writes one per attempt).
 */
class PlainJobRetryGoldenTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final AtomicInteger runs = new AtomicInteger();

	private ResqueJobs jobs() {
		ResqueJobs jobs = new ResqueJobs();
		jobs.handle("RetryJob", "retry_q", (job) -> {
			this.runs.incrementAndGet();
			throw new IllegalArgumentException("retry me");
		}, BusRetryPolicies.delays(4, List.of(Duration.ofSeconds(60)), Duration.ZERO));
		return jobs;
	}

	@Test
	void retriesWithResqueRetrysKeysAndDelayedItemsUntilItGivesUp() throws Exception {
		Golden first = Golden.load("resque/17_retry.json");
		List<String> rubyJobs = first.list("delayed:1700000060").stream()
			.map((item) -> item.replace(",\"queue\":\"retry_q\"}", "}"))
			.toList();
		BusKeys keys = this.bus.keys();
		rubyJobs.forEach((job) -> this.bus.template().opsForList().rightPush(keys.queue("retry_q"), job));
		this.bus.template().opsForSet().add(keys.queues(), "retry_q");

		round(TestBus.GOLDEN_NOW, false);
		first.keys().forEach((key, entry) -> {
			String local = keys.prefix() + key.substring("resque:".length());
			if (key.equals("resque:failed") || key.contains("stat:") && key.contains("golden-host")) {
				return;
			}
			switch (entry.type()) {
				case "list" -> assertThat(this.bus.list(local)).as(key).isEqualTo(entry.strings());
				case "set" -> assertThat(this.bus.members(local)).as(key).containsExactlyInAnyOrderElementsOf(entry.strings());
				case "string" -> assertThat(this.bus.get(local)).as(key).isEqualTo(entry.value().asString());
				case "zset" -> assertThat(this.bus.template().opsForZSet().range(local, 0, -1)).as(key)
					.containsExactly("1700000060");
				default -> throw new IllegalStateException(key);
			}
		});
		assertThat(this.bus.list(keys.failed())).isEmpty();

		JsonNode rounds = JsonMapper.builder().build()
			.readTree(getClass().getResourceAsStream("/golden/resque/17b_retry_exhausted.json"))
			.get("_meta")
			.get("rounds");
		for (JsonNode round : rounds) {
			round(round.get("now").asLong(), true);
			Map<String, String> counters = new TreeMap<>();
			round.get("retry key values").properties().forEach((e) -> counters.put(e.getKey(),
					String.valueOf(this.bus.get(keys.prefix() + e.getKey().substring("resque:".length())))));
			Map<String, String> expected = new TreeMap<>();
			round.get("retry key values").properties().forEach((e) -> expected.put(e.getKey(),
					e.getValue().isNull() ? "null" : e.getValue().asString()));
			assertThat(counters).as("round at " + round.get("now")).isEqualTo(expected);
			List<String> schedule = round.get("delayed_queue_schedule").valueStream().map(JsonNode::asString).toList();
			assertThat(this.bus.template().opsForZSet().range(keys.delayedSchedule(), 0, -1))
				.containsExactlyElementsOf(schedule);
		}
		Golden exhausted = Golden.load("resque/17b_retry_exhausted.json");
		assertThat(this.runs.get()).isEqualTo(12);
		assertThat(this.bus.get(keys.statFailed())).isEqualTo(exhausted.string("stat:failed"));
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo(exhausted.string("stat:processed"));
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(3);
		for (int i = 0; i < 3; i++) {
			assertThat(failed.get(i)).contains("\"payload\":" + rubyJobs.get(i) + ",", "\"error\":\"retry me\"");
		}
		assertThat(this.bus.template().keys(keys.prefix() + "resque-retry:*")).isEmpty();
		assertThat(this.bus.template().keys(keys.prefix() + "delayed*")).isEmpty();
		assertThat(this.bus.template().keys(keys.prefix() + "timestamps:*")).isEmpty();
	}

	@Test
	void aSuccessfulRunDeletesTheRetryCounterAsResqueRetryDoes() {
		BusKeys keys = this.bus.keys();
		String counter = keys.retryCounter("RetryJob", List.of(42, "masterbrew"));
		this.bus.template().opsForValue().set(counter, "1");
		new ResqueTemplate(this.bus.redis(), this.bus.settings()).enqueue("retry_q", "RetryJob", 42, "masterbrew");
		ResqueJobs jobs = new ResqueJobs();
		jobs.handle("RetryJob", "retry_q", (job) -> this.runs.incrementAndGet(), BusRetryPolicies.resqueRetry());
		WorkerRunner runner = PlainJobWorker.start(this.bus, this.bus.settings(), jobs, List.of(), List.of("retry_q"));
		try {
			PlainJobWorker.awaitProcessed(this.bus, 1);
		}
		finally {
			runner.stop();
		}
		assertThat(this.runs.get()).isEqualTo(1);
		assertThat(this.bus.template().hasKey(counter)).isFalse();
	}

	@Test
	void retriesUnderResqueRetrysBackoffAtOnceFirstThenAMinuteLaterAsExponentialBackoff() {
		BusKeys keys = this.bus.keys();
		Golden second = Golden.load("resque/17d_backoff_second.json");
		String job = Golden.load("resque/17c_backoff_first.json").list("queue:backoff_q").get(0);
		this.bus.template().opsForList().rightPush(keys.queue("backoff_q"), job);
		this.bus.template().opsForSet().add(keys.queues(), "backoff_q");
		ResqueJobs jobs = new ResqueJobs();
		jobs.handle("BackoffJob", "backoff_q", (ignored) -> {
			this.runs.incrementAndGet();
			throw new IllegalArgumentException("back off");
		}, BusRetryPolicies.resqueRetry());
		// no scheduler runs: the second run proves the first retry went straight back onto the queue (17c)
		WorkerRunner runner = PlainJobWorker.start(this.bus, this.bus.goldenSettings(TestBus.GOLDEN_NOW), jobs,
				List.of(), List.of("backoff_q"));
		try {
			PlainJobWorker.awaitProcessed(this.bus, 2);
		}
		finally {
			runner.stop();
		}
		assertThat(this.runs.get()).isEqualTo(2);
		second.keys().forEach((key, entry) -> {
			String local = keys.prefix() + key.substring("resque:".length());
			if (key.equals("resque:failed") || key.contains("stat:") && key.contains("golden-host")) {
				return;
			}
			switch (entry.type()) {
				case "list" -> assertThat(this.bus.list(local)).as(key).isEqualTo(entry.strings());
				case "set" -> assertThat(this.bus.members(local)).as(key).containsExactlyInAnyOrderElementsOf(entry.strings());
				case "string" -> assertThat(this.bus.get(local)).as(key).isEqualTo(entry.value().asString());
				case "zset" -> assertThat(this.bus.template().opsForZSet().rangeWithScores(local, 0, -1)).as(key)
					.extracting((tuple) -> tuple.getValue() + "@" + tuple.getScore().longValue())
					.containsExactly("1700000060@1700000060");
				default -> throw new IllegalStateException(key);
			}
		});
		assertThat(this.bus.list(keys.queue("backoff_q"))).isEmpty();
		assertThat(this.bus.list(keys.failed())).as("no failed entry while a retry is pending").isEmpty();
	}

	/** At {@code now}: the scheduler moves what is due (when asked), then the worker works the queue dry. */
	private void round(long now, boolean schedule) {
		BusSettings settings = this.bus.goldenSettings(now);
		BusKeys keys = this.bus.keys();
		long before = this.runs.get();
		if (schedule) {
			SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), settings, Duration.ofMillis(50), 100);
			scheduler.start();
			try {
				await().atMost(Duration.ofSeconds(20))
					.until(() -> this.bus.template().opsForList().size(keys.queue("retry_q")) == 3);
			}
			finally {
				scheduler.stop();
			}
		}
		WorkerRunner runner = PlainJobWorker.start(this.bus, settings, jobs(), List.of(), List.of("retry_q"));
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.get() == before + 3
					&& this.bus.template().opsForList().size(keys.queue("retry_q")) == 0);
			PlainJobWorker.awaitProcessed(this.bus, before + 3);
		}
		finally {
			runner.stop();
		}
	}

}
