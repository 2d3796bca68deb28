package io.resquebus.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.resquebus.BusHandler;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.DedicatedRedis;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker acknowledges the jobs of a batch together: few Redis commands per job (counted by
 * Redis's own {@code INFO commandstats}, on a Redis of this test's own), and a finished job does
 * not wait for the end of a long batch.
 */
class WorkerBatchAckTests {

	@RegisterExtension
	final DedicatedRedis dedicated = new DedicatedRedis();

	private final WireCodec codec = new WireCodec();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void handlesABatchOf100JobsWithAtMostOneRedisCommandPerJob() throws Exception {
		CountDownLatch all = new CountDownLatch(100);
		WorkerRunner runner = runner(100, (event) -> {
			this.handled.add(event.id());
			all.countDown();
		});
		List<String> jobs = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			jobs.add(job("e" + i));
		}
		this.dedicated.template().opsForList().rightPushAll(keys().queue("app_default"), jobs);
		this.dedicated.template().execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().resetConfigStats();
			return null;
		});
		runner.start();
		try {
			assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			runner.stop(); // the batch ends, is acknowledged, and the consumer unregisters
		}
		long commands = commandsExceptThisTestsOwn();
		System.out.printf("Worker: %d Redis commands for 100 jobs, start and stop included%n", commands);
		assertThat(this.handled).hasSize(100);
		assertThat(this.dedicated.template().opsForValue().get(keys().statProcessed())).isEqualTo("100");
		assertThat(this.dedicated.template().keys(keys().inflight("app_default", "*"))).isEmpty();
		assertThat(commands).isLessThanOrEqualTo(100);
	}

	@Test
	void acknowledgesFinishedJobsBeforeTheNextJobOnceTheyWaitedTheirMaximum() throws Exception {
		CountDownLatch secondStarted = new CountDownLatch(1);
		CountDownLatch releaseSecond = new CountDownLatch(1);
		CountDownLatch thirdStarted = new CountDownLatch(1);
		CountDownLatch releaseThird = new CountDownLatch(1);
		WorkerRunner runner = runner(3, (event) -> {
			if (event.id().equals("e2")) {
				secondStarted.countDown();
				releaseSecond.await(30, TimeUnit.SECONDS);
			}
			else if (event.id().equals("e3")) {
				thirdStarted.countDown();
				releaseThird.await(30, TimeUnit.SECONDS);
			}
			this.handled.add(event.id());
		});
		// A first fetch takes one job; once e0 showed jobs are fast, fetches take whole batches.
		this.dedicated.template().opsForList().rightPush(keys().queue("app_default"), job("e0"));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> "1".equals(this.dedicated.template().opsForValue().get(keys().statProcessed())));
			this.dedicated.template().opsForList().rightPushAll(keys().queue("app_default"), job("e1"), job("e2"), job("e3"));
			assertThat(secondStarted.await(30, TimeUnit.SECONDS)).isTrue();
			String inflight = keys().inflight("app_default", runner.consumerIds().get(0));
			// e1 finished but waits for the batch: a crash now would run it again, never lose it.
			assertThat(this.dedicated.template().opsForValue().get(keys().statProcessed())).isEqualTo("1");
			assertThat(this.dedicated.template().opsForList().size(inflight)).isEqualTo(3);
			Thread.sleep(BatchAcks.MAX_WAIT.toMillis() + 100); // e1 has waited its maximum
			releaseSecond.countDown();
			assertThat(thirdStarted.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(this.dedicated.template().opsForValue().get(keys().statProcessed())).isEqualTo("3");
			assertThat(this.dedicated.template().opsForList().range(inflight, 0, -1)).singleElement()
				.asString()
				.contains("e3");
			releaseThird.countDown();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> "4".equals(this.dedicated.template().opsForValue().get(keys().statProcessed())));
			assertThat(this.dedicated.template().opsForList().size(inflight)).isZero();
		}
		finally {
			releaseSecond.countDown();
			releaseThird.countDown();
			runner.stop();
		}
		assertThat(this.handled).containsExactly("e0", "e1", "e2", "e3");
	}

	@Test
	void showsTheBatchsJobInTheWorkerRecordAndDeletesItWhenTheBatchIsAcknowledged() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		WorkerRunner runner = runner(2, (event) -> {
			started.countDown();
			release.await(30, TimeUnit.SECONDS);
			this.handled.add(event.id());
		});
		String first = job("e1");
		this.dedicated.template().opsForList().rightPushAll(keys().queue("app_default"), first, job("e2"));
		runner.start();
		try {
			assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
			String record = this.dedicated.template().opsForValue().get(keys().worker(runner.consumerIds().get(0)));
			assertThat(record).startsWith("{\"queue\":\"app_default\",\"run_at\":\"")
				.endsWith("\",\"payload\":" + first + "}");
			release.countDown();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> "2".equals(this.dedicated.template().opsForValue().get(keys().statProcessed())));
			assertThat(this.dedicated.template().opsForValue().get(keys().worker(runner.consumerIds().get(0)))).isNull();
		}
		finally {
			release.countDown();
			runner.stop();
		}
	}

	@Test
	void aWorkerPausedDuringABatchAcknowledgesItWithoutWaitingForItsNextFetch() throws Exception {
		AtomicReference<WorkerRunner> self = new AtomicReference<>();
		WorkerRunner runner = runner(2, (event) -> {
			if (event.id().equals("e2")) {
				self.get().pause(); // no fetch follows until the resume
			}
			this.handled.add(event.id());
		});
		self.set(runner);
		this.dedicated.template().opsForList().rightPushAll(keys().queue("app_default"), job("e1"), job("e2"));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> "2".equals(this.dedicated.template().opsForValue().get(keys().statProcessed())));
			assertThat(runner.isPaused()).isTrue();
			assertThat(this.dedicated.template().opsForList()
				.size(keys().inflight("app_default", runner.consumerIds().get(0)))).isZero();
			assertThat(this.dedicated.template().opsForValue().get(keys().worker(runner.consumerIds().get(0)))).isNull();
		}
		finally {
			runner.stop();
		}
		assertThat(this.handled).containsExactly("e1", "e2");
	}

	private WorkerRunner runner(int batchSize, BusHandler handler) {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"), handler, "t"));
		BusRedis redis = new BusRedis(this.dedicated.factory());
		WorkerRunner runner = new WorkerRunner(redis, this.dedicated.settings(), subscriptions, List.of(), batchSize,
				Duration.ofMillis(100));
		runner.setConsumerRegistry(new ConsumerRegistry(redis, this.dedicated.settings(), Duration.ofSeconds(30)));
		return runner;
	}

	private BusKeys keys() {
		return this.dedicated.settings().keys();
	}

	private String job(String busId) {
		return this.codec.job(Map.of(BusAttributes.RIDER_APP_KEY, "app", BusAttributes.RIDER_SUB_KEY, "s_default",
				BusAttributes.RIDER_QUEUE, "app_default", BusAttributes.ID, busId, BusAttributes.EVENT_TYPE, "e",
				BusAttributes.CLASS_PROXY, JobClasses.RIDER));
	}

	/** Every command Redis ran since the reset, the test's own reads, INFO and CONFIG aside. */
	private long commandsExceptThisTestsOwn() {
		Properties stats = this.dedicated.template()
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		long total = 0;
		for (String name : stats.stringPropertyNames()) {
			String command = name.substring("cmdstat_".length());
			if (!command.equals("info") && !command.startsWith("config")) {
				total += Long.parseLong(stats.getProperty(name).replaceAll("^calls=(\\d+),.*$", "$1"));
			}
		}
		return total;
	}

}
