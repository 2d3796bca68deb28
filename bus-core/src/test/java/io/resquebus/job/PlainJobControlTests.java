package io.resquebus.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.hook.NamedInterceptor;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.support.TestBus;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plain-job queue is worked by the same runner as bus queues, with its controls: queue
 * priority and {@code *}, pause, timed pause, and the jobs-per-second throttle (Pace's
 * {@code jobs_per_second}: {@code io.resquebus.worker.PlainJobThrottleTests}).
 */
class PlainJobControlTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final List<String> performed = new CopyOnWriteArrayList<>();

	private ResqueJobs jobs(String... queues) {
		ResqueJobs jobs = new ResqueJobs();
		for (String queue : queues) {
			jobs.handleQueue(queue, (job) -> {
				this.performed.add(queue + ":" + job.arg(0));
			});
		}
		return jobs;
	}

	private WorkerRunner runner(ResqueJobs jobs, List<String> queues) {
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), this.bus.settings(), new AppSubscriptions(null), queues,
				1, Duration.ofMillis(100));
		runner.setPlainJobs(new ResqueJobRunner(this.bus.settings(), jobs, List::<NamedInterceptor>of, List::of));
		return runner;
	}

	private void enqueue(String queue, Object arg) {
		new ResqueTemplate(this.bus.redis(), this.bus.settings()).enqueue(queue, "Pace::Job", arg);
	}

	@Test
	void worksPlainJobQueuesInPriorityOrderAndItsHandlersQueuesWhenNoneAreConfigured() {
		enqueue("low", 1);
		enqueue("high", 1);
		enqueue("low", 2);
		enqueue("high", 2);
		WorkerRunner runner = runner(jobs("high", "low"), List.of());
		runner.start();
		try {
			assertThat(runner.queues()).containsExactly("high", "low");
			await().atMost(Duration.ofSeconds(20)).until(() -> this.performed.size() == 4);
		}
		finally {
			runner.stop();
		}
		assertThat(this.performed).containsExactly("high:1", "high:2", "low:1", "low:2");
	}

	@Test
	void aStarWorksEveryKnownPlainJobQueue() {
		enqueue("b_queue", 1);
		enqueue("a_queue", 1);
		WorkerRunner runner = runner(jobs("a_queue", "b_queue"), List.of("*"));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.performed.size() == 2);
		}
		finally {
			runner.stop();
		}
		assertThat(this.performed).containsExactly("a_queue:1", "b_queue:1");
	}

	@Test
	void aPausedWorkerPerformsNoPlainJobUntilResumedAndATimedPauseEndsByItself() {
		WorkerRunner runner = runner(jobs("file_serve"), List.of("file_serve"));
		runner.pause();
		runner.start();
		try {
			enqueue("file_serve", 1);
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
				.until(() -> this.performed.isEmpty());
			runner.resume();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.performed.size() == 1);
			runner.pause(Duration.ofMillis(300));
			assertThat(runner.isPaused()).isTrue();
			await().atMost(Duration.ofSeconds(20)).until(() -> !runner.isPaused());
			enqueue("file_serve", 2);
			await().atMost(Duration.ofSeconds(20)).until(() -> this.performed.size() == 2);
		}
		finally {
			runner.stop();
		}
		assertThat(this.performed).containsExactly("file_serve:1", "file_serve:2");
	}

}
