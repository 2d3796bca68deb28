package io.resquebus.failure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The failed list from Java, on entries Ruby wrote: read, retry, remove, never the wrong one.
 */
class FailedJobsTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	@Test
	void readsTheEntriesRubyWrote() {
		this.bus.load(Golden.load("04_ridden.json"));
		FailedJobs failed = new FailedJobs(this.bus.redis(), this.bus.settings());
		assertThat(failed.count()).isEqualTo(2);
		List<FailedJob> page = failed.list(0, 10);
		assertThat(page).hasSize(2);
		FailedJob first = page.get(0);
		assertThat(first.index()).isZero();
		assertThat(first.entry().exception()).isEqualTo("ArgumentError");
		assertThat(first.entry().error()).isEqualTo("kaboom golden");
		assertThat(first.entry().queue()).isEqualTo("golden_app_default");
		assertThat(first.entry().backtrace()).hasSize(12).first().asString().startsWith("scripts/golden.rb:57");
		assertThat(first.entry().payload()).isEqualTo(boomJob());
		assertThat(failed.list(1, 10)).extracting(FailedJob::index).containsExactly(1L);
	}

	@Test
	void retriesAJobByteForByteOntoItsQueueAndMarksTheEntryAsResqueWebDoes() {
		this.bus.load(Golden.load("04_ridden.json"));
		FailedJobs failed = new FailedJobs(this.bus.redis(), this.bus.settings());
		FailedJob first = failed.list(0, 1).get(0);
		assertThat(failed.retry(first)).isTrue();
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.queue("golden_app_default"))).containsExactly(boomJob());
		assertThat(this.bus.members(keys.queues())).contains("golden_app_default");
		assertThat(failed.count()).isEqualTo(2);
		assertThat(failed.list(0, 1).get(0).raw()).contains(",\"retried_at\":\"");
	}

	@Test
	void refusesToTouchAnEntryWhenTheListShiftedMeanwhile() {
		this.bus.load(Golden.load("04_ridden.json"));
		FailedJobs failed = new FailedJobs(this.bus.redis(), this.bus.settings());
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPush(keys.failed(), "{\"failed_at\":\"x\",\"queue\":\"q\",\"payload\":{}}");
		FailedJob last = failed.list(2, 1).get(0);
		this.bus.template().opsForList().leftPop(keys.failed());
		assertThat(failed.remove(last)).isFalse();
		assertThat(failed.retry(last)).isFalse();
		assertThat(failed.count()).isEqualTo(2);
		assertThat(failed.find(1, last.digest())).isPresent();
		assertThat(failed.find(1, "0000")).isEmpty();
	}

	@Test
	void removesOneEntryAndRetriesAllTheRest() {
		this.bus.load(Golden.load("04_ridden.json"));
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPush(keys.failed(),
				new WireCodec().failure(new io.resquebus.wire.FailureEntry("2024/01/01 00:00:00 UTC", job("x1"),
						"java.lang.IllegalStateException", "nope", List.of(), "w", "app_default")));
		FailedJobs failed = new FailedJobs(this.bus.redis(), this.bus.settings());
		assertThat(failed.remove(failed.list(0, 1).get(0))).isTrue();
		assertThat(failed.retryAll()).isEqualTo(2);
		assertThat(failed.count()).isZero();
		assertThat(this.bus.list(keys.queue("golden_app_default"))).containsExactly(boomJob());
		assertThat(this.bus.list(keys.queue("app_default"))).containsExactly(job("x1"));
	}

	@Test
	void keepsTheFailedListWithinItsMaximumDroppingTheOldest() {
		WorkerRunner runner = failingWorker();
		runner.setMaxFailed(2);
		BusKeys keys = this.bus.keys();
		failAll(runner, List.of(job("f1"), job("f2"), job("f3"), job("f4")));
		assertThat(this.bus.list(keys.failed())).hasSize(2)
			.satisfiesExactly((entry) -> assertThat(entry).contains("failed f3"),
					(entry) -> assertThat(entry).contains("failed f4"));
		assertThat(runner.trimmedFailures()).isEqualTo(2);
	}

	@Test
	void keepsTheFailedListWithinItsMaximumBytesDroppingTheOldestButNeverTheNewest() {
		WorkerRunner runner = failingWorker();
		runner.setMaxFailedBytes(1_500_000);
		BusKeys keys = this.bus.keys();
		failAll(runner, List.of(bigJob("small1", 10), bigJob("big1", 1_000_000), bigJob("big2", 1_000_000),
				bigJob("small2", 10)));
		List<String> left = this.bus.list(keys.failed());
		System.out.printf("FAULT failed list max-bytes: failures=4 maxBytes=1500000 kept=%d dropped=%d%n", left.size(),
				runner.trimmedFailures());
		assertThat(left).as("the newest big entry and the small one after it")
			.satisfiesExactly((entry) -> assertThat(entry).contains("failed big2"),
					(entry) -> assertThat(entry).contains("failed small2"));
		assertThat(runner.trimmedFailures()).isEqualTo(2);
	}

	@Test
	void listsABigEntryCutInRedisSayingSoAndReadsItWholeOnlyWithinTheSizeAskedFor() {
		FailedJobs failed = new FailedJobs(this.bus.redis(), this.bus.settings());
		String bigPayload = bigJob("big", 3_000_000);
		String big = this.bus.settings().codec().failure(new FailureEntry("2026/12/07 10:00:00 UTC", bigPayload,
				"java.lang.IllegalStateException", "x".repeat(50_000), List.of("a", "b"), "host:1:q", "app_default"));
		String small = this.bus.settings().codec().failure(new FailureEntry("2026/12/07 10:00:01 UTC", job("small"),
				"java.lang.IllegalStateException", "small failed", List.of("a"), "host:1:q", "app_default"));
		this.bus.template().opsForList().rightPushAll(this.bus.keys().failed(), big, small);

		FailedJobs.FailedPage page = failed.previews(0, 10, 4096);

		assertThat(page.total()).isEqualTo(2);
		FailedJobPreview first = page.items().get(0);
		assertThat(first.truncated()).isTrue();
		assertThat(first.bytes()).isEqualTo(big.length());
		assertThat(first.digest()).isEqualTo(new FailedJob(0, big, failed.list(1, 1).get(0).entry()).digest());
		assertThat(first.entry().payload()).hasSize(4096).isEqualTo(bigPayload.substring(0, 4096));
		assertThat(first.entry().error()).hasSize(4096);
		assertThat(first.entry().exception()).isEqualTo("java.lang.IllegalStateException");
		assertThat(first.entry().queue()).isEqualTo("app_default");
		assertThat(first.entry().backtrace()).containsExactly("a", "b");
		FailedJobPreview second = page.items().get(1);
		assertThat(second.truncated()).isFalse();
		assertThat(second.index()).isEqualTo(1);
		assertThat(second.entry().payload()).isEqualTo(job("small"));
		assertThat(second.digest()).isEqualTo(failed.list(1, 1).get(0).digest());

		assertThatExceptionOfType(FailedJobTooLargeException.class).isThrownBy(() -> failed.get(0, 1_000_000))
			.satisfies((ex) -> assertThat(ex.bytes()).isEqualTo(big.length()))
			.satisfies((ex) -> assertThat(ex.digest()).isEqualTo(first.digest()));
		assertThat(failed.get(0, 4_000_000)).get().satisfies((job) -> assertThat(job.raw()).isEqualTo(big));
		assertThat(failed.get(2, 4_000_000)).isEmpty();
	}

	/** A worker on {@code app_default} whose handler always throws {@code failed <bus_id>}. */
	private WorkerRunner failingWorker() {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"), (event) -> {
			throw new IllegalStateException("failed " + event.id());
		}, "t"));
		return new WorkerRunner(this.bus.redis(), this.bus.settings(), subscriptions, List.of(), 1,
				Duration.ofMillis(100));
	}

	/** Queues the jobs on {@code app_default} and runs the worker until every one of them failed. */
	private void failAll(WorkerRunner runner, List<String> jobs) {
		BusKeys keys = this.bus.keys();
		jobs.forEach((job) -> this.bus.template().opsForList().rightPush(keys.queue("app_default"), job));
		String failed = Integer.toString(jobs.size());
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> failed.equals(this.bus.get(keys.statFailed())));
		}
		finally {
			runner.stop();
		}
	}

	/** A job whose event carries a string attribute of {@code size} characters. */
	private static String bigJob(String busId, int size) {
		return new WireCodec().job(Map.of(BusAttributes.RIDER_APP_KEY, "app", BusAttributes.RIDER_SUB_KEY, "s_default",
				BusAttributes.ID, busId, BusAttributes.EVENT_TYPE, "e", BusAttributes.CLASS_PROXY, JobClasses.RIDER,
				"blob", "y".repeat(size)));
	}

	private static String boomJob() {
		return Golden.load("03_driven.json").list("queue:golden_app_default").stream()
			.filter((job) -> job.contains("boom_handler")).findFirst().orElseThrow();
	}

	private static String job(String busId) {
		return new WireCodec().job(Map.of(BusAttributes.RIDER_APP_KEY, "app", BusAttributes.RIDER_SUB_KEY, "s_default",
				BusAttributes.ID, busId, BusAttributes.EVENT_TYPE, "e", BusAttributes.CLASS_PROXY, JobClasses.RIDER));
	}

}
