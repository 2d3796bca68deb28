package io.resquebus.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.BusSettings;
import io.resquebus.driver.Heartbeat;
import io.resquebus.publish.BusTemplate;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler runs queue-bus's minute heartbeat: a fleet without Ruby publishes
 * {@code heartbeat_minutes}, and Java schedulers and a Ruby runner sharing queue-bus's lock and
 * timestamp publish each minute exactly once. Time is a clock the test moves.
 */
class SchedulerHeartbeatTests {

	/** Second 5 of a minute. */
	private static final long START = 1_765_000_000L - 1_765_000_000L % 60 + 5;

	private static final long FIRST = START / 60;

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	private final MovingClock clock = new MovingClock(START);

	@Test
	void twoJavaSchedulersAndARubyRunnerPublishEachMinuteExactlyOnce() {
		BusSettings settings = this.bus.settings().withClock(this.clock);
		BusKeys keys = this.bus.keys();
		SchedulerRunner one = scheduler(settings);
		SchedulerRunner two = scheduler(settings);
		one.start();
		two.start();
		try {
			awaitTimestamp(FIRST);
			for (int minute = 1; minute <= 3; minute++) {
				this.clock.advance(60);
				awaitTimestamp(FIRST + minute);
			}
			// A Ruby runner takes the lock (QueueBus::Heartbeat.lock!) and publishes the next minute itself.
			long lockedUntil = this.clock.seconds() + 62;
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.bus.template()
					.opsForValue()
					.setIfAbsent(keys.heartbeatLock(), Long.toString(lockedUntil)));
			this.clock.advance(60);
			letSchedulersPoll(keys);
			assertThat(this.bus.get(keys.heartbeatTimestamp())).isEqualTo(Long.toString(FIRST + 3));
			new BusTemplate(this.bus.redis(), settings.withHostname("ruby-host")).publish(Heartbeat.EVENT_TYPE,
					Map.of("epoch_minutes", FIRST + 4));
			this.bus.template().opsForValue().set(keys.heartbeatTimestamp(), Long.toString(FIRST + 4));
			this.bus.template().delete(keys.heartbeatLock());
			this.clock.advance(60);
			awaitTimestamp(FIRST + 5);
			// A Ruby runner that died holding the lock: Java waits until the lock expires, then catches up.
			this.bus.template().opsForValue().set(keys.heartbeatLock(), Long.toString(this.clock.seconds() + 62));
			this.clock.advance(60);
			letSchedulersPoll(keys);
			assertThat(this.bus.get(keys.heartbeatTimestamp())).isEqualTo(Long.toString(FIRST + 5));
			this.clock.advance(60);
			awaitTimestamp(FIRST + 7);
		}
		finally {
			one.stop();
			two.stop();
		}
		List<Long> minutes = new ArrayList<>();
		List<String> hosts = new ArrayList<>();
		for (String raw : this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))) {
			BusJob job = this.codec.parseJob(raw);
			assertThat(job.eventType()).isEqualTo(Heartbeat.EVENT_TYPE);
			minutes.add(((Number) job.event().get("epoch_minutes")).longValue());
			hosts.add((String) job.event().get("bus_app_hostname"));
		}
		System.out.printf("FAULT heartbeat without Ruby: javaSchedulers=2 minutes=8 (moved clock) published=%d "
				+ "distinctMinutes=%d byRuby=%d%n", minutes.size(), minutes.stream().distinct().count(),
				hosts.stream().filter("ruby-host"::equals).count());
		assertThat(minutes).containsExactly(FIRST, FIRST + 1, FIRST + 2, FIRST + 3, FIRST + 4, FIRST + 5, FIRST + 6,
				FIRST + 7);
		assertThat(hosts).containsExactly("test-host", "test-host", "test-host", "test-host", "ruby-host",
				"test-host", "test-host", "test-host");
		assertThat(this.bus.template().hasKey(keys.heartbeatLock())).isFalse();
	}

	@Test
	void aSchedulerWithoutHeartbeatPublishesNone() {
		BusSettings settings = this.bus.settings().withClock(this.clock);
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), settings, Duration.ofMillis(10), 100);
		scheduler.start();
		try {
			letSchedulersPoll(this.bus.keys());
		}
		finally {
			scheduler.stop();
		}
		assertThat(scheduler.heartbeat()).isNull();
		assertThat(this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))).isEmpty();
		assertThat(this.bus.get(this.bus.keys().heartbeatTimestamp())).isNull();
	}

	private SchedulerRunner scheduler(BusSettings settings) {
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), settings, Duration.ofMillis(10), 100);
		scheduler.setHeartbeat(new Heartbeat(this.bus.redis(), settings, new BusTemplate(this.bus.redis(), settings),
				ZoneOffset.UTC));
		return scheduler;
	}

	private void awaitTimestamp(long minute) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> Long.toString(minute).equals(this.bus.get(this.bus.keys().heartbeatTimestamp())));
	}

	/** Lets the schedulers poll a few times: each of two delayed items, due now, is moved in a later poll. */
	private void letSchedulersPoll(BusKeys keys) {
		for (int probe = 0; probe < 2; probe++) {
			String due = Long.toString(this.clock.seconds());
			int before = this.bus.list(keys.queue("probe")).size();
			String item = "{\"class\":\"QueueBus::Worker\",\"args\":[\"{}\"],\"queue\":\"probe\"}";
			this.bus.template().opsForList().rightPush(keys.delayed(due), item);
			this.bus.template().opsForSet().add(keys.timestamps(item), BusKeys.delayedMember(due));
			this.bus.template().opsForZSet().add(keys.delayedSchedule(), due, Double.parseDouble(due));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.list(keys.queue("probe")).size() == before + 1);
		}
	}

	/** A clock the test moves forward. */
	private static final class MovingClock extends Clock {

		private final AtomicLong seconds;

		MovingClock(long seconds) {
			this.seconds = new AtomicLong(seconds);
		}

		void advance(long by) {
			this.seconds.addAndGet(by);
		}

		long seconds() {
			return this.seconds.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochSecond(this.seconds.get());
		}

	}

}
