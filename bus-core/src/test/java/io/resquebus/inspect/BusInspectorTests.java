package io.resquebus.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.inspect.BusInspector.QueueDepth;
import io.resquebus.inspect.BusInspector.WorkerInfo;
import io.resquebus.inspect.BusInspector.WorkerPage;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators' reads of a bus's Redis: depths with the oldest job's age, workers page by page,
 * the schedule.
 */
class BusInspectorTests {

	private static final long NOW = TestBus.GOLDEN_NOW;

	@RegisterExtension
	final TestBus bus = new TestBus();

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
