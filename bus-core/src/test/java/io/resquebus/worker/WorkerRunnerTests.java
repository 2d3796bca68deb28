package io.resquebus.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusHandler;
import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Reliable fetch, priorities, failures and stopping of the worker, on a real Redis.
 */
class WorkerRunnerTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void keepsAJobInItsInflightListUntilTheHandlerReturns() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		WorkerRunner runner = runner(1, (event) -> {
			started.countDown();
			release.await(20, TimeUnit.SECONDS);
			this.handled.add(event.id());
		});
		push("app_default", "e1");
		runner.start();
		try {
			assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
			BusKeys keys = this.bus.keys();
			String inflight = keys.inflight("app_default", runner.consumerIds().get(0));
			assertThat(this.bus.list(keys.queue("app_default"))).isEmpty();
			assertThat(this.bus.list(inflight)).hasSize(1).first().asString().contains("e1");
			release.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.list(inflight).isEmpty());
			assertThat(this.handled).containsExactly("e1");
			assertThat(this.bus.get(keys.statProcessed())).isEqualTo("1");
		}
		finally {
			release.countDown();
			runner.stop();
		}
	}

	@Test
	void worksTheCriticalQueueBeforeTheDefaultQueue() {
		push("app_default", "d1");
		push("app_default", "d2");
		push("app_critical", "c1");
		push("app_bannana", "b1");
		WorkerRunner runner = runner(1, (event) -> this.handled.add(event.id()));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 4);
		}
		finally {
			runner.stop();
		}
		assertThat(this.handled).containsExactly("c1", "d1", "d2", "b1");
		assertThat(runner.queues()).containsExactly("app_critical", "app_default", "app_bannana");
	}

	@Test
	void sendsBadJobsToTheFailedListWithAReasonAndGoesOn() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("app_default"), "{not json",
				"{\"class\":\"Unknown::Job\",\"args\":[\"{}\"]}", "{\"class\":\"QueueBus::Worker\",\"args\":[42]}",
				job("app", "gone_subscription", "x1"), job("other_app", "s", "x2"));
		push("app_default", "good");
		WorkerRunner runner = runner(1, (event) -> this.handled.add(event.id()));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("good"));
		}
		finally {
			runner.stop();
		}
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(5);
		assertThat(failed.get(0)).contains("not valid JSON").contains("\"payload\":\"{not json\"");
		assertThat(failed.get(1)).contains("Unknown job class 'Unknown::Job'");
		assertThat(failed.get(2)).contains("exactly one JSON string");
		assertThat(failed.get(3)).contains("no subscription 'gone_subscription'");
		assertThat(failed.get(4)).contains("for app 'other_app'");
		assertThat(this.handled).containsExactly("good");
	}

	@Test
	void goesOnAfterAHandlerThrows() {
		WorkerRunner runner = runner(1, (event) -> {
			if (event.id().equals("bad")) {
				throw new IllegalStateException("handler broke");
			}
			this.handled.add(event.id());
		});
		push("app_default", "bad");
		push("app_default", "next");
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("next"));
		}
		finally {
			runner.stop();
		}
		assertThat(this.bus.list(this.bus.keys().failed())).singleElement().asString()
			.contains("\"exception\":\"java.lang.IllegalStateException\",\"error\":\"handler broke\"");
	}

	@Test
	void acknowledgesWithoutRunningAJobWhoseSubscriberItsPublisherAlreadyRanInProcess() {
		// What a Ruby driver pushes for an event a Java publisher marked: it fans out to the sync
		// subscription too, knowing nothing of bus_sync_delivered.
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("app_default"),
				markedJob("s_default", "already-ran", List.of("app:s_critical", "app:s_default")),
				markedJob("s_default", "other-sub-ran", List.of("app:s_critical")), job("app", "s_default", "plain"));
		WorkerRunner runner = runner(1, (event) -> this.handled.add(event.id()));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("plain"));
		}
		finally {
			runner.stop();
		}
		assertThat(this.handled).containsExactly("other-sub-ran", "plain");
		assertThat(runner.alreadyDeliveredCount()).isEqualTo(1);
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("3");
		assertThat(this.bus.list(keys.failed())).isEmpty();
	}

	@Test
	void givesFetchedJobsThatNeverStartedBackToTheHeadOfTheQueueWhenStopped() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		WorkerRunner runner = runner(5, (event) -> {
			started.countDown();
			release.await(20, TimeUnit.SECONDS);
			this.handled.add(event.id());
		});
		for (String id : List.of("j1", "j2", "j3", "j4", "j5", "j6")) {
			push("app_default", id);
		}
		runner.start();
		assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(runner::stop);
		await().atMost(Duration.ofSeconds(5)).until(() -> !runner.isRunning());
		release.countDown();
		stopping.get(20, TimeUnit.SECONDS);
		assertThat(this.handled).containsExactly("j1");
		assertThat(this.bus.list(this.bus.keys().queue("app_default"))).extracting(this::busId)
			.containsExactly("j2", "j3", "j4", "j5", "j6");
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*"))
			.allSatisfy((key) -> assertThat(this.bus.list(key)).isEmpty());
	}

	@Test
	void twoWorkersShareABacklogOfSlowJobsInsteadOfOneTakingAWholeBatch() {
		List<String> first = new CopyOnWriteArrayList<>();
		List<String> second = new CopyOnWriteArrayList<>();
		WorkerRunner one = runner(50, (event) -> {
			first.add(event.id());
			Thread.sleep(150);
		});
		WorkerRunner two = runner(50, (event) -> {
			second.add(event.id());
			Thread.sleep(150);
		});
		for (int i = 1; i <= 12; i++) {
			push("app_default", "slow" + i);
		}
		one.start();
		two.start();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> first.size() + second.size() == 12);
		}
		finally {
			one.stop();
			two.stop();
		}
		// Each fetched one job, then sized its fetches by how long jobs take (one at a time here).
		assertThat(first).hasSizeGreaterThanOrEqualTo(2);
		assertThat(second).hasSizeGreaterThanOrEqualTo(2);
		assertThat(first).doesNotContainAnyElementsOf(second);
	}

	@Test
	void blocksForAtMostHalfTheRedisCommandTimeoutSoIdleFetchesDoNotTimeOut() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		BusRedis redis = new BusRedis(factory);
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		assertThat(new WorkerRunner(redis, this.bus.settings(), subscriptions, List.of(), 1, Duration.ofSeconds(5))
			.blockTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(new WorkerRunner(redis, this.bus.settings(), subscriptions, List.of(), 1, Duration.ofMillis(500))
			.blockTimeout()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void refusesABlockTimeoutOfZeroWhichRedisTakesAsForever() {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WorkerRunner(this.bus.redis(), this.bus.settings(), subscriptions, List.of(), 1,
					Duration.ZERO))
			.withMessageContaining("must be positive (Redis blocks forever on 0)");
	}

	private WorkerRunner runner(int batchSize, BusHandler handler) {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"), handler, "t"));
		subscriptions.add(new LocalSubscription("s_critical", "critical", LocalSubscription.eventType("e"), handler,
				"t"));
		subscriptions.add(new LocalSubscription("s_bannana", "bannana", LocalSubscription.eventType("e"), handler,
				"t"));
		BusSettings settings = this.bus.settings();
		return new WorkerRunner(this.bus.redis(), settings, subscriptions, List.of(), batchSize,
				Duration.ofMillis(100));
	}

	private void push(String queue, String busId) {
		String subKey = "s_" + queue.substring("app_".length());
		this.bus.template().opsForList().rightPush(this.bus.keys().queue(queue), job("app", subKey, busId));
	}

	private String job(String app, String subKey, String busId) {
		return this.codec.job(Map.of(BusAttributes.RIDER_APP_KEY, app, BusAttributes.RIDER_SUB_KEY, subKey,
				BusAttributes.ID, busId, BusAttributes.EVENT_TYPE, "e", BusAttributes.CLASS_PROXY, JobClasses.RIDER));
	}

	private String markedJob(String subKey, String busId, List<String> syncDelivered) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put(BusAttributes.RIDER_APP_KEY, "app");
		event.put(BusAttributes.RIDER_SUB_KEY, subKey);
		event.put(BusAttributes.ID, busId);
		event.put(BusAttributes.EVENT_TYPE, "e");
		event.put(BusAttributes.SYNC_DELIVERED, syncDelivered);
		event.put(BusAttributes.CLASS_PROXY, JobClasses.RIDER);
		return this.codec.job(event);
	}

	private String busId(String job) {
		return (String) this.codec.parseJob(job).event().get(BusAttributes.ID);
	}

}
