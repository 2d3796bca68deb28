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
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failed list from Java, on entries Ruby wrote: read, retry, remove, never the wrong one.
 */
class FailedJobsTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

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
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"), (event) -> {
			throw new IllegalStateException("failed " + event.id());
		}, "t"));
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), this.bus.settings(), subscriptions, List.of(), 1,
				Duration.ofMillis(100));
		runner.setMaxFailed(2);
		BusKeys keys = this.bus.keys();
		for (String id : List.of("f1", "f2", "f3", "f4")) {
			this.bus.template().opsForList().rightPush(keys.queue("app_default"), job(id));
		}
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> "4".equals(this.bus.get(keys.statFailed())));
		}
		finally {
			runner.stop();
		}
		assertThat(this.bus.list(keys.failed())).hasSize(2)
			.satisfiesExactly((entry) -> assertThat(entry).contains("failed f3"),
					(entry) -> assertThat(entry).contains("failed f4"));
		assertThat(runner.trimmedFailures()).isEqualTo(2);
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
