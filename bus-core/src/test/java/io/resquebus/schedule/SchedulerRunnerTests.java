package io.resquebus.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
import io.resquebus.support.DedicatedRedis;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler on a real Redis: items written by Java or raw in Ruby's layout, several
 * schedulers at once, items it cannot move, stopping.
 */
class SchedulerRunnerTests {

	/** A second long past, so everything scheduled relative to it is due on the real clock. */
	private static final long PAST = 1_600_000_000L;

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	@Test
	void publishAtNowOrInThePastGoesStraightToTheIncomingQueue() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.goldenSettings(TestBus.GOLDEN_NOW));
		template.publishAt(Instant.ofEpochSecond(TestBus.GOLDEN_NOW), "now", Map.of());
		template.publishAt(Instant.ofEpochSecond(TestBus.GOLDEN_NOW - 10), "past", Map.of());
		template.publishIn(Duration.ZERO, "zero_delay", Map.of());
		BusKeys keys = this.bus.keys();
		List<String> incoming = this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE));
		assertThat(incoming).extracting((job) -> this.codec.parseJob(job).event())
			.extracting((event) -> event.get(BusAttributes.EVENT_TYPE), (event) -> event.get(BusAttributes.DELAYED_UNTIL),
					(event) -> event.get(BusAttributes.CLASS_PROXY))
			.containsExactly(tuple("now", 1_700_000_000, JobClasses.PUBLISHER),
					tuple("past", 1_699_999_990, JobClasses.PUBLISHER),
					tuple("zero_delay", 1_700_000_000, JobClasses.PUBLISHER));
		assertThat(this.bus.template().hasKey(keys.delayedSchedule())).isFalse();
		assertThat(this.bus.members(keys.queues())).containsExactly(BusKeys.INCOMING_QUEUE);
	}

	@Test
	void twoSchedulersAtOnceDeliverEveryItemExactlyOnce() {
		BusTemplate past = new BusTemplate(this.bus.redis(), settingsAt(PAST));
		Set<String> busIds = new HashSet<>();
		for (int i = 0; i < 300; i++) {
			busIds.add(past.publishAt(Instant.ofEpochSecond(PAST + 1 + (i % 20)), "bulk", Map.of("n", i)));
		}
		BusKeys keys = this.bus.keys();
		assertThat(busIds).hasSize(300);
		assertThat(this.bus.template().opsForZSet().size(keys.delayedSchedule())).isEqualTo(20);
		SchedulerRunner small = scheduler(Duration.ofMillis(50), 4);
		SchedulerRunner large = scheduler(Duration.ofMillis(50), SchedulerRunner.MAX_BATCH_SIZE);
		small.start();
		large.start();
		try {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> !this.bus.template().hasKey(keys.delayedSchedule())
						&& this.bus.template().opsForList().size(keys.queue(BusKeys.INCOMING_QUEUE)) >= 300);
		}
		finally {
			small.stop();
			large.stop();
		}
		List<String> delivered = this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE)).stream()
			.map((job) -> (String) this.codec.parseJob(job).event().get(BusAttributes.ID))
			.toList();
		assertThat(delivered).hasSize(300).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(busIds);
		assertNoDelayedKeysLeft();
	}

	@Test
	void deliversItemsWrittenRawInRubysLayoutWithClassAndArgsVerbatim() {
		String busItem = "{\"class\":\"::QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":\\\"caf\u00e9\\\","
				+ "\\\"bus_id\\\":\\\"raw-1\\\",\\\"path\\\":\\\"a/b\\\",\\\"bus_class_proxy\\\":\\\"QueueBus::Publisher\\\"}\"],"
				+ "\"queue\":\"bus_incoming\"}";
		String rubyJob = "{\"class\":\"Mailer::Deliver\",\"args\":[42,1.0e+20,\"x\",{\"a\":null,\"b\":[true]}],"
				+ "\"queue\":\"mailer\"}";
		long due = PAST + 5;
		writeRaw(due, busItem);
		writeRaw(due, rubyJob);
		runUntilMoved(due);
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).containsExactly(
				"{\"class\":\"::QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":\\\"caf\u00e9\\\","
						+ "\\\"bus_id\\\":\\\"raw-1\\\",\\\"path\\\":\\\"a/b\\\","
						+ "\\\"bus_class_proxy\\\":\\\"QueueBus::Publisher\\\"}\"]}");
		assertThat(this.bus.list(keys.queue("mailer")))
			.containsExactly("{\"class\":\"Mailer::Deliver\",\"args\":[42,1.0e+20,\"x\",{\"a\":null,\"b\":[true]}]}");
		assertThat(this.bus.members(keys.queues())).containsExactlyInAnyOrder(BusKeys.INCOMING_QUEUE, "mailer");
		assertNoDelayedKeysLeft();
	}

	@Test
	void deliversWhatFellDueWhileNoSchedulerRanAndLeavesWhatIsNotDueYet() {
		BusTemplate past = new BusTemplate(this.bus.redis(), settingsAt(PAST));
		String overdue = past.publishAt(Instant.ofEpochSecond(PAST + 60), "overdue", Map.of());
		long future = Instant.now().plus(Duration.ofDays(1)).getEpochSecond();
		BusTemplate now = new BusTemplate(this.bus.redis(), this.bus.settings());
		String later = now.publishAt(Instant.ofEpochSecond(future), "later", Map.of());
		runUntilMoved(PAST + 60);
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).singleElement()
			.satisfies((job) -> assertThat(this.codec.parseJob(job).event()).containsEntry(BusAttributes.ID, overdue));
		List<String> waiting = this.bus.list(keys.delayed(future));
		assertThat(waiting).singleElement().asString().contains(later);
		assertThat(this.bus.members(keys.timestamps(waiting.get(0)))).containsExactly("delayed:" + future);
		assertThat(this.bus.template().opsForZSet().range(keys.delayedSchedule(), 0, -1))
			.containsExactly(Long.toString(future));
	}

	@Test
	void sendsItemsItCannotMoveToTheFailedListAndMovesTheOthers() {
		String noQueue = "{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":\\\"x\\\"}\"]}";
		String good = "{\"class\":\"Some::Job\",\"args\":[1],\"queue\":\"jobs\"}";
		long due = PAST + 7;
		writeRaw(due, noQueue);
		writeRaw(due, "{not json");
		writeRaw(due, "{\"args\":[1],\"queue\":\"jobs\"}");
		writeRaw(due, good);
		runUntilMoved(due);
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.list(keys.queue("jobs"))).containsExactly("{\"class\":\"Some::Job\",\"args\":[1]}");
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(3);
		assertThat(failed.get(0)).contains("\"payload\":" + noQueue)
			.contains("has no \\\"queue\\\"")
			.contains("\"queue\":\"delayed:" + due + "\"")
			.contains("\"worker\":\"java@test-host:");
		assertThat(failed.get(1)).contains("\"payload\":\"{not json\"").contains("not valid JSON");
		assertThat(failed.get(2)).contains("has no \\\"class\\\"");
		assertThat(this.bus.members(keys.queues())).containsExactly("jobs");
		assertNoDelayedKeysLeft();
	}

	@Test
	void wrapsArgsThatAreNotAnArrayAsResqueSchedulerDoes() {
		long due = PAST + 9;
		writeRaw(due, "{\"class\":\"A\",\"args\":{\"k\":1},\"queue\":\"q\"}");
		writeRaw(due, "{\"class\":\"B\",\"queue\":\"q\"}");
		writeRaw(due, "{\"class\":\"C\",\"args\":\"s\",\"queue\":\"q\"}");
		runUntilMoved(due);
		assertThat(this.bus.list(this.bus.keys().queue("q"))).containsExactly("{\"class\":\"A\",\"args\":[{\"k\":1}]}",
				"{\"class\":\"B\",\"args\":[]}", "{\"class\":\"C\",\"args\":[\"s\"]}");
	}

	@Test
	void cleansUpAScheduledSecondWhoseListIsGone() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForZSet().add(keys.delayedSchedule(), Long.toString(PAST), PAST);
		runUntilMoved(PAST);
		assertNoDelayedKeysLeft();
	}

	@Test
	void stopsWithoutWaitingForTheNextPoll() throws Exception {
		long due = PAST + 3;
		writeRaw(due, "{\"class\":\"A\",\"args\":[],\"queue\":\"q\"}");
		SchedulerRunner scheduler = scheduler(Duration.ofHours(1), 10);
		scheduler.setShutdownTimeout(Duration.ofMinutes(2));
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.bus.list(this.bus.keys().queue("q")).isEmpty());
		}
		finally {
			CompletableFuture<Void> stopping = CompletableFuture.runAsync(scheduler::stop);
			stopping.get(30, TimeUnit.SECONDS);
		}
		assertThat(scheduler.isRunning()).isFalse();
	}

	@Test
	void stopsAtOnceWhileWaitingOnARedisThatWentAway() throws Exception {
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder().build()) {
			server.start();
			LettuceConnectionFactory factory = DedicatedRedis.startedFactory(server);
			try {
				BusRedis redis = new BusRedis(factory);
				SchedulerRunner scheduler = new SchedulerRunner(redis, this.bus.settings(), Duration.ofMillis(10), 10);
				scheduler.setShutdownTimeout(Duration.ofMinutes(2));
				scheduler.start();
				new BusTemplate(redis, settingsAt(PAST)).publishAt(Instant.ofEpochSecond(PAST + 1), "e", Map.of());
				byte[] incoming = BusRedis.bytes(this.bus.keys().queue(BusKeys.INCOMING_QUEUE));
				await().atMost(Duration.ofSeconds(20))
					.until(() -> redis.execute((connection) -> connection.listCommands().lLen(incoming)) == 1L);
				server.stop();
				// Redis is gone: the scheduler now waits on a call that only Lettuce's timeout (60 s) would end.
				CompletableFuture<Void> stopping = CompletableFuture.runAsync(scheduler::stop);
				stopping.get(30, TimeUnit.SECONDS);
				assertThat(scheduler.isRunning()).isFalse();
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void refusesABatchSizeAboveResqueSchedulersAndAPollIntervalOfZero() {
		assertThatIllegalArgumentException().isThrownBy(() -> scheduler(Duration.ofSeconds(1), 101))
			.withMessageContaining("between 1 and 100");
		assertThatIllegalArgumentException().isThrownBy(() -> scheduler(Duration.ZERO, 100))
			.withMessageContaining("must be positive");
	}

	private SchedulerRunner scheduler(Duration pollInterval, int batchSize) {
		return new SchedulerRunner(this.bus.redis(), this.bus.settings(), pollInterval, batchSize);
	}

	private BusSettings settingsAt(long epochSecond) {
		return this.bus.settings().withClock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
	}

	/** Writes an item as resque-scheduler's {@code delayed_push} does, byte for byte. */
	private void writeRaw(long due, String item) {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPush(keys.delayed(due), item);
		this.bus.template().opsForSet().add(keys.timestamps(item), "delayed:" + due);
		this.bus.template().opsForZSet().add(keys.delayedSchedule(), Long.toString(due), due);
	}

	private void runUntilMoved(long due) {
		BusKeys keys = this.bus.keys();
		SchedulerRunner scheduler = scheduler(Duration.ofMillis(50), SchedulerRunner.MAX_BATCH_SIZE);
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> !this.bus.template().hasKey(keys.delayed(due))
						&& this.bus.template().opsForZSet().score(keys.delayedSchedule(), Long.toString(due)) == null);
		}
		finally {
			scheduler.stop();
		}
	}

	private void assertNoDelayedKeysLeft() {
		String ns = this.bus.namespace();
		List<String> left = new ArrayList<>();
		left.addAll(this.bus.template().keys(ns + ":delayed*"));
		left.addAll(this.bus.template().keys(ns + ":timestamps:*"));
		assertThat(left).isEmpty();
	}

}
