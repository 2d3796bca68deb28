package io.resquebus.inspect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.inspect.BusInspector.DelayedSlot;
import io.resquebus.inspect.BusInspector.QueueDepth;
import io.resquebus.inspect.BusInspector.QueuePage;
import io.resquebus.inspect.BusInspector.Totals;
import io.resquebus.inspect.BusInspector.Value;
import io.resquebus.inspect.BusInspector.WorkerInfo;
import io.resquebus.inspect.BusInspector.WorkerPage;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.RedisCallTimeoutException;
import io.resquebus.support.DedicatedRedis;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Operators' reads of a bus's Redis: depths with the oldest job's age, workers page by page,
 * the schedule, the overview's totals, queue and schedule pages with huge jobs cut in Redis, and
 * every read bounded in time while Redis is down.
 */
class BusInspectorTests {

	private static final long NOW = TestBus.GOLDEN_NOW;

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	@Test
	void reportsDepthAndAgeOfTheHeadJobOfEachQueue() {
		BusSettings settings = this.bus.goldenSettings(NOW);
		push(settings, "app_default", Map.of(BusAttributes.PUBLISHED_AT, NOW - 30, BusAttributes.DRIVEN_AT, NOW - 20));
		push(settings, "app_default", Map.of(BusAttributes.PUBLISHED_AT, NOW - 5));
		push(settings, "bus_incoming", Map.of(BusAttributes.PUBLISHED_AT, NOW - 7));
		this.bus.template().opsForSet().add(this.bus.keys().queues(), "app_default", "bus_incoming", "idle");
		BusInspector inspector = new BusInspector(this.bus.redis(), settings);

		assertThat(inspector.queueNames()).containsExactly("app_default", "bus_incoming", "idle");
		assertThat(inspector.depths(inspector.queueNames())).containsExactly(new QueueDepth("app_default", 2, 20L),
				new QueueDepth("bus_incoming", 1, 7L), new QueueDepth("idle", 0, null));
	}

	@Test
	void pagesThroughEveryWorkerWithItsHeartbeatAndCurrentJob() {
		BusSettings settings = this.bus.settings();
		for (int i = 0; i < 5; i++) {
			String id = "host:" + i + ":app_default";
			this.bus.template().opsForSet().add(this.bus.keys().workers(), id);
			this.bus.template().opsForHash().put(this.bus.keys().workersHeartbeat(), id, "2026-11-23T10:00:0" + i + "Z");
			this.bus.template().opsForValue().set(this.bus.keys().workerStarted(id), "started " + i);
		}
		this.bus.template().opsForValue().set(this.bus.keys().worker("host:3:app_default"),
				"{\"queue\":\"app_default\",\"run_at\":\"2026-11-23T10:00:00Z\",\"payload\":{\"class\":\"X\"}}");
		BusInspector inspector = new BusInspector(this.bus.redis(), settings);

		List<WorkerInfo> all = new ArrayList<>();
		String cursor = "0";
		int pages = 0;
		do {
			WorkerPage page = inspector.workers(cursor, 2);
			all.addAll(page.workers());
			cursor = page.cursor();
			pages++;
		}
		while (!cursor.equals("0") && pages < 10);

		assertThat(cursor).isEqualTo("0");
		assertThat(all).extracting(WorkerInfo::id).containsExactlyInAnyOrder("host:0:app_default",
				"host:1:app_default", "host:2:app_default", "host:3:app_default", "host:4:app_default");
		WorkerInfo busy = all.stream().filter((worker) -> worker.id().startsWith("host:3")).findFirst().orElseThrow();
		assertThat(busy.heartbeat()).isEqualTo("2026-11-23T10:00:03Z");
		assertThat(busy.started()).isEqualTo("started 3");
		assertThat(busy.job()).isInstanceOf(Map.class).extracting((job) -> ((Map<?, ?>) job).get("queue"))
			.isEqualTo("app_default");
		assertThat(all).filteredOn((worker) -> worker.job() == null).hasSize(4);
	}

	@Test
	void countsTheScheduleAndTellsTheNextDueTime() {
		BusInspector inspector = new BusInspector(this.bus.redis(), this.bus.settings());
		assertThat(inspector.schedule()).isEqualTo(new BusInspector.Schedule(0, null));

		this.bus.template().opsForZSet().add(this.bus.keys().delayedSchedule(), "1700000100", 1700000100);
		this.bus.template().opsForZSet().add(this.bus.keys().delayedSchedule(), "1700000050", 1700000050);

		assertThat(inspector.schedule()).isEqualTo(new BusInspector.Schedule(2, 1700000050L));
	}

	@Test
	void pagesAQueueCuttingAHugeJobInRedisAndTellingItsFullSize() {
		String huge = hugeJob();
		this.bus.template().opsForList().rightPushAll(this.bus.keys().queue("big"), "{\"class\":\"Small\"}", huge);
		BusInspector inspector = new BusInspector(this.bus.redis(), this.bus.settings());

		QueuePage page = inspector.peek("big", 0, 20);

		assertThat(page.depth()).isEqualTo(2);
		assertThat(page.jobs()).containsExactly(new Value("{\"class\":\"Small\"}", 17, false),
				new Value(huge.substring(0, BusInspector.MAX_VALUE_BYTES), huge.length(), true));
		assertThat(inspector.peek("big", 1, 1).jobs()).singleElement().extracting(Value::bytes)
			.isEqualTo((long) huge.length());
	}

	@Test
	void pagesTheScheduleCuttingAHugeItemInRedisAndTellingItsFullSize() {
		String huge = hugeJob();
		schedule("1700000100", "small", huge);
		schedule("1700000050", "first");
		BusInspector inspector = new BusInspector(this.bus.redis(), this.bus.settings());

		List<DelayedSlot> slots = inspector.delayed(0, 10, 10);

		assertThat(slots).extracting(DelayedSlot::timestamp).containsExactly("1700000050", "1700000100");
		assertThat(slots.get(0).items()).containsExactly(new Value("first", 5, false));
		assertThat(slots.get(1).size()).isEqualTo(2);
		assertThat(slots.get(1).items()).containsExactly(new Value("small", 5, false),
				new Value(huge.substring(0, BusInspector.MAX_VALUE_BYTES), huge.length(), true));
		assertThat(inspector.delayed(1, 10, 1)).singleElement()
			.satisfies((slot) -> assertThat(slot.items()).extracting(Value::text).containsExactly("small"));
		assertThat(inspector.delayed(5, 10, 10)).isEmpty();
	}

	@Test
	void readsTheOverviewTotalsInRedis() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForValue().set(keys.statProcessed(), "42");
		this.bus.template().opsForValue().set(keys.statFailed(), "7");
		this.bus.template().opsForList().rightPushAll(keys.failed(), "{}", "{}");
		this.bus.template().opsForSet().add(keys.workers(), "h:1:q", "h:2:q", "h:3:q");
		this.bus.template().opsForValue().set(keys.worker("h:2:q"), "{\"queue\":\"q\"}");
		this.bus.template().opsForValue().set(keys.heartbeatTimestamp(), "28333333");
		this.bus.template().opsForValue().set(keys.pauseAllWorkers(), "true");
		BusInspector inspector = new BusInspector(this.bus.redis(), this.bus.settings());

		Totals totals = inspector.totals(1000);

		assertThat(totals).extracting(Totals::processed, Totals::failedTotal, Totals::failedCount, Totals::workers,
				Totals::sampled, Totals::busy, Totals::heartbeat, Totals::pausedAll)
			.containsExactly(42L, 7L, 2L, 3L, 3L, 1L, "28333333", true);
		assertThat(totals.redisVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
		assertThat(totals.usedMemory()).isNotBlank();
		assertThat(inspector.totals(2).sampled()).isEqualTo(2);
		this.bus.template().delete(keys.pauseAllWorkers());
		assertThat(inspector.totals(10).pausedAll()).isFalse();
	}

	@Test
	void dashboardReadsGiveUpAfterTheirTimeoutWhileRedisIsDown() {
		try (EmbeddedRedisServer server = TestRedis.dedicated()) {
			LettuceConnectionFactory factory = DedicatedRedis.startedFactory(server);
			try {
				BusRedis redis = new BusRedis(factory);
				Duration timeout = Duration.ofMillis(500);
				BusInspector inspector = new BusInspector(redis, this.bus.settings(), timeout);
				assertThat(inspector.totals(10).workers()).isZero();
				server.stop();
				assertThat(redis.commandTimeout()).isEqualTo(Duration.ofSeconds(60));

				long started = System.nanoTime();
				assertTimesOut(timeout, () -> inspector.totals(10));
				assertTimesOut(timeout, () -> inspector.peek("big", 0, 20));
				assertTimesOut(timeout, () -> inspector.delayed(0, 20, 10));
				System.out.printf("FAULT inspector reads with Redis stopped: 3 of 3 timed out, timeout=%d ms, "
						+ "elapsed=%d ms in all, client command timeout=60000 ms%n", timeout.toMillis(),
						(System.nanoTime() - started) / 1_000_000);
			}
			finally {
				factory.destroy();
			}
		}
	}

	private static void assertTimesOut(Duration timeout, Runnable read) {
		RedisCallTimeoutException ex = assertTimeoutPreemptively(Duration.ofSeconds(20),
				() -> catchThrowableOfType(RedisCallTimeoutException.class, read::run));
		assertThat(ex).isNotNull();
		assertThat(ex.timeout()).isEqualTo(timeout);
	}

	private static String hugeJob() {
		return "{\"class\":\"Huge\",\"args\":[\"" + "x".repeat(1024 * 1024) + "\"]}";
	}

	private void schedule(String timestamp, String... items) {
		this.bus.template().opsForZSet().add(this.bus.keys().delayedSchedule(), timestamp, Double.parseDouble(timestamp));
		this.bus.template().opsForList().rightPushAll(this.bus.keys().delayed(timestamp), items);
	}

	@Test
	void capsPageSizes() {
		assertThat(BusInspector.pageSize(null, 20)).isEqualTo(20);
		assertThat(BusInspector.pageSize(0, 20)).isEqualTo(20);
		assertThat(BusInspector.pageSize(5, 20)).isEqualTo(5);
		assertThat(BusInspector.pageSize(100_000, 20)).isEqualTo(BusInspector.MAX_PAGE_SIZE);
	}

	private void push(BusSettings settings, String queue, Map<String, Object> attributes) {
		Map<String, Object> event = new LinkedHashMap<>(attributes);
		event.put(BusAttributes.EVENT_TYPE, "thing_happened");
		this.bus.template().opsForList().rightPush(this.bus.keys().queue(queue), settings.codec().job(event));
	}

}
