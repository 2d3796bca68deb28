package io.resquebus.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusHandler;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing, restarting, throttling and {@code *} queue lists of a worker, on a real Redis.
 */
class WorkerControlTests {

	private static final Duration QUIET = Duration.ofMillis(600);

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void aPausedWorkerFetchesNothingUntilResumed() {
		push("app_default", "e1");
		push("app_default", "e2");
		WorkerRunner runner = runner(List.of(), (event) -> this.handled.add(event.id()));
		runner.pause();
		runner.start();
		try {
			assertThat(runner.isPaused()).isTrue();
			await().during(QUIET).atMost(QUIET.multipliedBy(4))
				.until(() -> this.bus.list(this.bus.keys().queue("app_default")).size() == 2);
			assertThat(this.handled).isEmpty();
			runner.resume();
			assertThat(runner.isPaused()).isFalse();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 2);
		}
		finally {
			runner.stop();
		}
		assertThat(this.handled).containsExactly("e1", "e2");
		assertThat(this.bus.get(this.bus.keys().statProcessed())).isEqualTo("2");
	}

	@Test
	void pausingFinishesTheJobInHandAndFetchesNoMore() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		// Batches of one: a job fetched with the one in hand would run too (fetched jobs finish).
		WorkerRunner runner = runner(List.of(), 1, (event) -> {
			started.countDown();
			release.await(20, TimeUnit.SECONDS);
			this.handled.add(event.id());
		});
		push("app_default", "e1");
		push("app_default", "e2");
		runner.start();
		try {
			assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
			runner.pause();
			release.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("e1"));
			await().during(QUIET).atMost(QUIET.multipliedBy(4))
				.until(() -> this.bus.list(this.bus.keys().queue("app_default")).size() == 1);
			assertThat(this.handled).containsExactly("e1");
			runner.resume();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 2);
		}
		finally {
			release.countDown();
			runner.stop();
		}
		assertThat(this.handled).containsExactly("e1", "e2");
	}

	@Test
	void aTimedPauseEndsByItself() {
		push("app_default", "e1");
		WorkerRunner runner = runner(List.of(), (event) -> this.handled.add(event.id()));
		runner.pause(Duration.ofMillis(300));
		assertThat(runner.isPaused()).isTrue();
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
			assertThat(runner.isPaused()).isFalse();
		}
		finally {
			runner.stop();
		}
	}

	@Test
	void honoursResquesPauseAllWorkersKey() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForValue().set(keys.pauseAllWorkers(), " TRUE\n");
		push("app_default", "e1");
		WorkerRunner runner = runner(List.of(), (event) -> this.handled.add(event.id()));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(runner::isPaused);
			await().during(QUIET).atMost(QUIET.multipliedBy(4))
				.until(() -> this.bus.list(keys.queue("app_default")).size() == 1);
			this.bus.template().opsForValue().set(keys.pauseAllWorkers(), "false");
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
			assertThat(runner.isPaused()).isFalse();
		}
		finally {
			runner.stop();
		}
	}

	@Test
	void aStoppedWorkerStartsAgainWithoutLosingOrRepeatingJobs() {
		BusKeys keys = this.bus.keys();
		WorkerRunner runner = runner(List.of(), (event) -> this.handled.add(event.id()));
		push("app_default", "e1");
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 1);
		}
		finally {
			runner.stop();
		}
		assertThat(runner.isRunning()).isFalse();
		assertThat(this.bus.members(keys.workers())).isEmpty();
		push("app_default", "e2");
		runner.start();
		try {
			assertThat(runner.isRunning()).isTrue();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 2);
		}
		finally {
			runner.stop();
		}
		assertThat(this.handled).containsExactly("e1", "e2");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		assertThat(this.bus.list(keys.queue("app_default"))).isEmpty();
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*"))
			.allSatisfy((key) -> assertThat(this.bus.list(key)).isEmpty());
	}

	@Test
	void aStarWorksEveryKnownQueueAlphabeticallyButTheIncomingQueue() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForSet().add(keys.queues(), "app_default", "app_critical", "app_bannana",
				BusKeys.INCOMING_QUEUE);
		push("app_default", "d1");
		push("app_critical", "c1");
		push("app_bannana", "b1");
		this.bus.template().opsForList().rightPush(keys.queue(BusKeys.INCOMING_QUEUE), "{\"class\":\"QueueBus::Driver\"}");
		WorkerRunner runner = runner(List.of("*"), (event) -> this.handled.add(event.id()));
		runner.setQueueRefreshInterval(Duration.ofMillis(100));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 3);
			assertThat(runner.queues()).containsExactly("app_bannana", "app_critical", "app_default");
			this.bus.template().opsForSet().add(keys.queues(), "app_zeta");
			push("app_zeta", "z1");
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 4);
			assertThat(runner.consumerIds()).singleElement().asString()
				.endsWith(":app_bannana,app_critical,app_default,app_zeta");
		}
		finally {
			runner.stop();
		}
		assertThat(this.handled).containsExactly("b1", "c1", "d1", "z1");
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).hasSize(1);
		assertThat(this.bus.list(keys.failed())).isEmpty();
		assertThat(this.bus.members(keys.workers())).isEmpty();
	}

	@Test
	void aThrottledWorkerGivesBackFetchedJobsItHasNotStartedWhenStopped() {
		BusKeys keys = this.bus.keys();
		for (String id : List.of("j1", "j2", "j3", "j4", "j5")) {
			push("app_default", id);
		}
		WorkerRunner runner = runner(List.of(), (event) -> this.handled.add(event.id()));
		runner.setThrottle(new JobThrottle(0, Map.of("app_default", 1)));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() >= 1);
		}
		finally {
			runner.stop();
		}
		List<String> left = this.bus.list(keys.queue("app_default"));
		assertThat(this.handled.size() + left.size()).isEqualTo(5);
		assertThat(this.handled.size()).isLessThan(5);
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*"))
			.allSatisfy((key) -> assertThat(this.bus.list(key)).isEmpty());
	}

	private WorkerRunner runner(List<String> queues, BusHandler handler) {
		return runner(queues, 5, handler);
	}

	private WorkerRunner runner(List<String> queues, int batchSize, BusHandler handler) {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		for (String queue : List.of("default", "critical", "bannana", "zeta")) {
			subscriptions.add(new LocalSubscription("s_" + queue, queue, LocalSubscription.eventType("e"), handler, "t"));
		}
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), this.bus.settings(), subscriptions, queues, batchSize,
				Duration.ofMillis(100));
		runner.setConsumerRegistry(new ConsumerRegistry(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(60)));
		return runner;
	}

	private void push(String queue, String busId) {
		String subKey = "s_" + queue.substring("app_".length());
		this.bus.template().opsForList().rightPush(this.bus.keys().queue(queue), this.codec.job(Map.of(
				BusAttributes.RIDER_APP_KEY, "app", BusAttributes.RIDER_SUB_KEY, subKey, BusAttributes.ID, busId,
				BusAttributes.EVENT_TYPE, "e", BusAttributes.CLASS_PROXY, JobClasses.RIDER)));
	}

}
