package io.resquebus.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.hook.NamedInterceptor;
import io.resquebus.job.ResqueJobRunner;
import io.resquebus.job.ResqueJobs;
import io.resquebus.job.ResqueTemplate;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pace's {@code jobs_per_second} on plain-job queues: the worker's throttle, per queue and per
 * worker, on a clock the test moves (the throttle's waits advance it), so what is checked is the
 * order of starts and the throttle's time, never the wall clock.
 */
class PlainJobThrottleTests {

	private static final long SECOND = 1_000_000_000L;

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final AtomicLong clock = new AtomicLong(42);

	@Test
	void startsNoMorePlainJobsPerSecondThanAllowedPerQueueAndPerWorker() {
		ResqueTemplate template = new ResqueTemplate(this.bus.redis(), this.bus.settings());
		for (int i = 0; i < 6; i++) {
			template.enqueue("slow", "Pace::Job", i);
			template.enqueue("fast", "Pace::Job", i);
		}
		List<Long> slow = new CopyOnWriteArrayList<>();
		List<Long> all = new CopyOnWriteArrayList<>();
		ResqueJobs jobs = new ResqueJobs();
		for (String queue : List.of("slow", "fast")) {
			jobs.handleQueue(queue, (job) -> {
				long now = this.clock.get();
				all.add(now);
				if (queue.equals("slow")) {
					slow.add(now);
				}
				this.clock.addAndGet(SECOND / 100);
			});
		}
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), this.bus.settings(), new AppSubscriptions(null),
				List.of("slow", "fast"), 1, Duration.ofMillis(100));
		runner.setPlainJobs(new ResqueJobRunner(this.bus.settings(), jobs, List::<NamedInterceptor>of, List::of));
		runner.setThrottle(new JobThrottle(4, Map.of("slow", 2), this.clock::get, this.clock::addAndGet));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> all.size() == 12);
		}
		finally {
			runner.stop();
		}
		assertThat(slow).hasSize(6);
		for (int i = 0; i + 2 < slow.size(); i++) {
			assertThat(slow.get(i + 2) - slow.get(i)).as("slow starts %d and %d", i, i + 2).isGreaterThanOrEqualTo(SECOND);
		}
		for (int i = 0; i + 4 < all.size(); i++) {
			assertThat(all.get(i + 4) - all.get(i)).as("starts %d and %d", i, i + 4).isGreaterThanOrEqualTo(SECOND);
		}
		assertThat(all.get(all.size() - 1) - all.get(0)).as("12 starts at 4 a second").isGreaterThanOrEqualTo(2 * SECOND);
	}

}
