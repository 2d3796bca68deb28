package io.resquebus.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.resquebus.BusSettings;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.PlainJob;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.script.RedisScript;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker performs plain jobs exactly as Ruby's Resque wrote them, and writes what a Resque
 * worker writes for the same steps under a frozen clock: {@code worker:<id>} while it runs,
 * {@code stat:*} after, Resque's failed entries (golden {@code resque/15a, 15, 16, 18b}).
 */
class PlainJobWorkerGoldenTests {

	private static final String GOLDEN_WORKER = "golden-host:4242:";

	@RegisterExtension
	final TestBus bus = new TestBus();

	private BusSettings settings() {
		return this.bus.goldenSettings(TestBus.GOLDEN_NOW);
	}

	private void push(String queue, String raw) {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForSet().add(keys.queues(), queue);
		this.bus.template().opsForList().rightPush(keys.queue(queue), raw);
	}

	@Test
	void performsRubysArchiveJobWithItsArgsAndCountsItAsResqueDid() {
		Golden working = Golden.load("resque/15a_working.json");
		Golden worked = Golden.load("resque/15_worked.json");
		String rubyWorkerEntry = working.string("worker:" + GOLDEN_WORKER + "file_serve");
		String rubysJob = Golden.load("resque/12_enqueued.json").list("queue:file_serve").get(0);
		push("file_serve", rubysJob);
		List<Object> performed = new CopyOnWriteArrayList<>();
		AtomicReference<String> workerEntry = new AtomicReference<>();
		ResqueJobs jobs = new ResqueJobs();
		AtomicReference<WorkerRunner> runner = new AtomicReference<>();
		jobs.handle("Archive", "file_serve", (job) -> {
			performed.addAll(job.args());
			// the worker registers before it fetches; runner may not be set yet when the job runs
			String worker = this.bus.members(this.bus.keys().workers()).iterator().next();
			workerEntry.set(this.bus.get(this.bus.keys().worker(worker)));
		});
		runner.set(PlainJobWorker.start(this.bus, settings(), jobs, List.of(), List.of("file_serve")));
		String id;
		try {
			PlainJobWorker.awaitProcessed(this.bus, 1);
			id = runner.get().consumerIds().get(0);
			assertThat(performed).containsExactly(42, "masterbrew");
			assertThat(workerEntry.get()).isEqualTo(rubyWorkerEntry);
			assertThat(this.bus.get(this.bus.keys().statProcessed(id)))
				.isEqualTo(worked.string("stat:processed:" + GOLDEN_WORKER + "file_serve"));
			assertThat(this.bus.template().hasKey(this.bus.keys().worker(id))).isFalse();
			assertThat(this.bus.members(this.bus.keys().workers())).containsExactly(id);
			// Resque's Time#to_s (golden "2023-11-14 22:13:20 +0000"); the time is Redis's own, not the frozen clock
			assertThat(worked.string("worker:" + GOLDEN_WORKER + "file_serve:started"))
				.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}");
			assertThat(this.bus.get(this.bus.keys().workerStarted(id)))
				.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}");
		}
		finally {
			runner.get().stop();
		}
		// stopped: unregistered as Resque's unregister_worker leaves it (15b), only the global stat left
		Golden unregistered = Golden.load("resque/15b_unregistered.json");
		assertThat(this.bus.get(this.bus.keys().statProcessed())).isEqualTo(unregistered.string("stat:processed"));
		assertThat(this.bus.template().hasKey(this.bus.keys().statProcessed(id))).isFalse();
		assertThat(this.bus.template().hasKey(this.bus.keys().workerStarted(id))).isFalse();
		assertThat(this.bus.template().hasKey(this.bus.keys().worker(id))).isFalse();
		assertThat(this.bus.members(this.bus.keys().workers())).isEmpty();
		assertThat(this.bus.members(this.bus.keys().queues())).containsExactlyElementsOf(unregistered.keys()
			.get("resque:queues").strings());
		assertThat(this.bus.list(this.bus.keys().failed())).isEmpty();
	}

	@Test
	void aJobThatThrowsGoesToTheFailedListInResqueFormatCountedFailedAndProcessed() throws Exception {
		Golden failed = Golden.load("resque/16_failed.json");
		String rubyEntry = failed.list("failed").get(0);
		Map<?, ?> ruby = JsonMapper.builder().build().readValue(rubyEntry, Map.class);
		push("ratings", JsonMapper.builder().build().writeValueAsString(ruby.get("payload")));
		ResqueJobs jobs = new ResqueJobs();
		jobs.handle("RateJob", "ratings", (job) -> {
			throw new IllegalArgumentException("bad rating " + job.arg(1));
		});
		WorkerRunner runner = PlainJobWorker.start(this.bus, settings(), jobs, List.of(), List.of("ratings"));
		String id;
		try {
			PlainJobWorker.awaitProcessed(this.bus, 1);
			id = runner.consumerIds().get(0);
			assertThat(this.bus.get(this.bus.keys().statFailed(id)))
				.isEqualTo(failed.string("stat:failed:" + GOLDEN_WORKER + "ratings"));
		}
		finally {
			runner.stop();
		}
		// unregistered: the per-worker stats go, as Resque's unregister_worker deletes them
		assertThat(this.bus.template().hasKey(this.bus.keys().statFailed(id))).isFalse();
		assertThat(this.bus.template().hasKey(this.bus.keys().statProcessed(id))).isFalse();
		List<String> entries = this.bus.list(this.bus.keys().failed());
		assertThat(entries).hasSize(1);
		String expected = rubyEntry.replace("\"ArgumentError\"", "\"java.lang.IllegalArgumentException\"")
			.replace(GOLDEN_WORKER + "ratings", id);
		String backtrace = "\"backtrace\":[\"scripts/golden_resque.rb:78:in `perform'\"]";
		assertThat(expected).contains(backtrace);
		String ours = entries.get(0);
		int start = ours.indexOf("\"backtrace\":[");
		int end = ours.indexOf("],\"worker\":", start) + 1;
		assertThat(ours.substring(0, start) + backtrace + ours.substring(end)).isEqualTo(expected);
		assertThat(ours.substring(start, end)).contains("PlainJobWorkerGoldenTests");
		assertThat(this.bus.get(this.bus.keys().statFailed())).isEqualTo(failed.string("stat:failed"));
		assertThat(this.bus.get(this.bus.keys().statProcessed())).isEqualTo(failed.string("stat:processed"));
	}

	@Test
	void jobsOfClassesNoHandlerTakesAndMalformedJobsGoToTheFailedListWithAReasonAndTheWorkerGoesOn() {
		Golden unknown = Golden.load("resque/18b_unknown_class_no_error_highlight.json");
		List<String> rubyEntries = unknown.list("failed");
		List<String> payloads = rubyEntries.stream()
			.map((entry) -> entry.substring(entry.indexOf("\"payload\":") + 10, entry.indexOf(",\"exception\"")))
			.toList();
		payloads.forEach((payload) -> push("mystery", payload));
		push("mystery", "not json at all");
		push("mystery", "{\"class\":\"Archive\",\"args\":\"not an array\"}");
		push("mystery", "{\"class\":\"Archive\",\"args\":[1]}");
		List<Object> performed = new CopyOnWriteArrayList<>();
		ResqueJobs jobs = new ResqueJobs();
		jobs.handle("Archive", "mystery", (job) -> performed.add(job.arg(0)));
		WorkerRunner runner = PlainJobWorker.start(this.bus, settings(), jobs, List.of(), List.of("mystery"));
		String id;
		try {
			PlainJobWorker.awaitProcessed(this.bus, 5);
			id = runner.consumerIds().get(0);
		}
		finally {
			runner.stop();
		}
		assertThat(performed).containsExactly(1);
		List<String> entries = this.bus.list(this.bus.keys().failed());
		assertThat(entries).hasSize(4);
		for (int i = 0; i < 2; i++) {
			String ruby = rubyEntries.get(i);
			String prefix = ruby.substring(0, ruby.indexOf("\"exception\":"));
			String missing = (i == 0) ? "NoSuchJob" : "Missing::Nested::Job";
			assertThat(entries.get(i)).startsWith(prefix + "\"exception\":\"" + UnknownJobClassException.class.getName()
					+ "\",\"error\":\"uninitialized constant " + missing + ": no handler for job class '" + missing
					+ "'");
			assertThat(entries.get(i)).endsWith("\"worker\":\"" + id + "\",\"queue\":\"mystery\"}");
		}
		assertThat(entries.get(2)).contains("\"payload\":\"not json at all\"", "Job is not valid JSON");
		assertThat(entries.get(3)).contains("Job has no \\\"args\\\" array");
		assertThat(this.bus.get(this.bus.keys().statFailed())).isEqualTo("4");
		assertThat(this.bus.get(this.bus.keys().statProcessed())).isEqualTo("5");
	}

	@Test
	void leaveModeNeverRunsNorFailsAJobNoHandlerTakesAndHandsItBackUnchangedForARubyWorker() {
		String rubyOnly = "{\"class\":\"RubyOnly::Job\",\"args\":[1,\"x\"]}";
		push("shared", rubyOnly);
		List<Object> performed = new CopyOnWriteArrayList<>();
		ResqueJobs jobs = new ResqueJobs();
		jobs.setUnknownJobs(ResqueJobs.UnknownJobs.LEAVE);
		jobs.handle("Archive", "shared", (job) -> performed.add(job.arg(0)));
		WorkerRunner runner = PlainJobWorker.start(this.bus, settings(), jobs, List.of(), List.of("shared"));
		BusKeys keys = this.bus.keys();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> runner.leftForOthersCount() >= 3);
			// a Ruby worker takes its job (LPOP when it is at the head: while the Java worker holds it in
			// flight, the head is the Java job, which a plain LPOP here would take away); the Java job
			// behind it is then performed
			this.bus.template().opsForList().rightPush(keys.queue("shared"), "{\"class\":\"Archive\",\"args\":[7]}");
			RedisScript<String> rubyWorker = RedisScript.of(
					"if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then return redis.call('LPOP', KEYS[1]) end "
							+ "return false", String.class);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> rubyOnly.equals(this.bus.template().execute(rubyWorker, List.of(keys.queue("shared")), rubyOnly)));
			await().atMost(Duration.ofSeconds(20)).until(() -> performed.contains(7));
		}
		finally {
			runner.stop();
		}
		assertThat(this.bus.list(keys.failed())).isEmpty();
		assertThat(this.bus.get(keys.statFailed())).isNull();
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("1");
		assertThat(this.bus.list(keys.queue("shared"))).isEmpty();
	}

}
