package io.resquebus.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusTemplate;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Delayed publishing and the scheduler write byte for byte what queue-bus and resque-scheduler
 * wrote in the golden run: {@code publish_at(now+30)} (05) and the scheduler at now+31 (06).
 */
class SchedulerRunnerGoldenTests {

	private static final long DUE = TestBus.GOLDEN_NOW + 30;

	private static final String GOLDEN_ID = "1700000000-00000000-0000-4000-8000-000000000015";

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	@Test
	void publishAtWritesTheDelayedKeysRubyWrote() {
		this.bus.load(Golden.load("04_ridden.json"));
		publishGoldenEvent();
		Golden ruby = Golden.load("05_publish_at.json");
		String item = ruby.list("delayed:" + DUE).get(0);
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.delayed(DUE))).containsExactly(item);
		assertThat(this.bus.members(keys.timestamps(item))).containsExactly("delayed:" + DUE);
		assertThat(schedule()).containsExactly(tuple("1700000030", 1.70000003E9), tuple("1700000060", 1.70000006E9));
		assertThat(this.bus.list(keys.delayed(DUE + 30))).containsExactlyElementsOf(ruby.list("delayed:1700000060"));
	}

	@Test
	void schedulerMovesTheItemJavaPublishedAsRubysSchedulerDid() {
		this.bus.load(Golden.load("04_ridden.json"));
		publishGoldenEvent();
		runSchedulerAt(DUE + 1);
		assertMatchesGoldenAfterTheSchedulerRan();
	}

	@Test
	void schedulerMovesTheItemRubyPublishedAsRubysSchedulerDid() {
		this.bus.load(Golden.load("05_publish_at.json"));
		runSchedulerAt(DUE + 1);
		assertMatchesGoldenAfterTheSchedulerRan();
	}

	private void publishGoldenEvent() {
		BusSettings settings = this.bus.goldenSettings(TestBus.GOLDEN_NOW).withIdGenerator((now) -> GOLDEN_ID);
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("order_id", "ord-2002");
		attributes.put("amount", 1.25);
		String busId = new BusTemplate(this.bus.redis(), settings).publishAt(Instant.ofEpochSecond(DUE),
				"order_delayed", attributes);
		assertThat(busId).isEqualTo(GOLDEN_ID);
	}

	private void runSchedulerAt(long now) {
		BusKeys keys = this.bus.keys();
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), this.bus.goldenSettings(now),
				Duration.ofMillis(100), SchedulerRunner.MAX_BATCH_SIZE);
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.bus.template().hasKey(keys.delayed(DUE)));
		}
		finally {
			scheduler.stop();
		}
	}

	private void assertMatchesGoldenAfterTheSchedulerRan() {
		Golden before = Golden.load("05_publish_at.json");
		Golden after = Golden.load("06_delayed_enqueued.json");
		BusKeys keys = this.bus.keys();
		String item = before.list("delayed:" + DUE).get(0);
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE)))
			.containsExactlyElementsOf(after.list("queue:bus_incoming"))
			.hasSize(1);
		assertThat(this.bus.template().hasKey(keys.delayed(DUE))).isFalse();
		assertThat(this.bus.template().hasKey(keys.timestamps(item))).isFalse();
		assertThat(schedule()).containsExactly(tuple("1700000060", 1.70000006E9));
		assertThat(this.bus.list(keys.delayed(DUE + 30))).containsExactlyElementsOf(after.list("delayed:1700000060"))
			.isNotEmpty();
		String retryItem = after.list("delayed:1700000060").get(0);
		assertThat(this.bus.members(keys.timestamps(retryItem))).containsExactly("delayed:1700000060");
		assertThat(this.bus.members(keys.queues()))
			.containsExactlyInAnyOrderElementsOf(after.keys().get("resque:queues").strings());
		assertThat(this.bus.list(keys.failed())).containsExactlyElementsOf(after.list("failed"));
		// Nothing else: no master lock, no cron state, no key Ruby's scheduler did not leave.
		Set<String> expectedKeys = new TreeSet<>();
		after.keys().keySet().forEach((key) -> expectedKeys.add(this.bus.namespace() + key.substring("resque".length())));
		assertThat(new TreeSet<>(this.bus.template().keys(this.bus.namespace() + ":*"))).isEqualTo(expectedKeys);
	}

	private List<org.assertj.core.groups.Tuple> schedule() {
		return this.bus.template()
			.opsForZSet()
			.rangeWithScores(this.bus.keys().delayedSchedule(), 0, -1)
			.stream()
			.map((TypedTuple<String> entry) -> tuple(entry.getValue(), entry.getScore()))
			.toList();
	}

}
