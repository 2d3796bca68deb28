package io.resquebus.driver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * The heartbeat (spec 8.4) against a real Redis: the lock and timestamp keys Ruby shares, and the
 * {@code heartbeat_minutes} events it publishes onto the incoming queue.
 */
class HeartbeatTests {

	/** 2024-06-10T06:13:20Z, a Monday. */
	private static final long NOW = 1_718_000_000L;

	/** {@code NOW div 60}. */
	private static final long MINUTE = 28_633_333L;

	private static final String CRON_JOB = "{\"class\":\"::QueueBus::Worker\",\"args\":[\"{\\\"bus_class_proxy\\\":\\\"::QueueBus::Heartbeat\\\"}\"]}";

	private static final String BARE_JOB = "{\"class\":\"::QueueBus::Heartbeat\",\"args\":[]}";

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	@Test
	void publishesOneEventWithEveryCalendarFieldAndStoresTheMinute() {
		assertThat(heartbeat(ZoneOffset.UTC).beat()).isEqualTo(1);

		List<Map<String, Object>> events = publishedEvents();
		assertThat(events).hasSize(1);
		Map<String, Object> event = events.get(0);
		assertThat(event.get("bus_event_type")).isEqualTo("heartbeat_minutes");
		assertThat(event.get("bus_published_at")).isEqualTo(1_718_000_000);
		assertThat(userAttributes(event)).containsExactly(entry("epoch_seconds", 1_717_999_980),
				entry("epoch_minutes", 28_633_333), entry("epoch_hours", 477_222), entry("epoch_days", 19_884),
				entry("minute", 13), entry("hour", 6), entry("day", 10), entry("month", 6), entry("year", 2024),
				entry("yday", 162), entry("wday", 1));
		assertThat(this.bus.get(keys().heartbeatTimestamp())).isEqualTo("28633333");
	}

	@Test
	void computesCalendarFieldsInTheConfiguredZone() {
		heartbeat(ZoneId.of("America/Los_Angeles")).beat();

		// 06:13 UTC is 23:13 PDT the day before, a Sunday.
		assertThat(userAttributes(publishedEvents().get(0))).containsExactly(entry("epoch_seconds", 1_717_999_980),
				entry("epoch_minutes", 28_633_333), entry("epoch_hours", 477_222), entry("epoch_days", 19_884),
				entry("minute", 13), entry("hour", 23), entry("day", 9), entry("month", 6), entry("year", 2024),
				entry("yday", 161), entry("wday", 0));
	}

	@Test
	void backfillsEveryMinuteMissedSinceTheStoredTimestamp() {
		this.bus.template().opsForValue().set(keys().heartbeatTimestamp(), Long.toString(MINUTE - 3));

		assertThat(heartbeat(ZoneOffset.UTC).beat()).isEqualTo(3);

		assertThat(publishedEvents()).extracting((event) -> event.get("epoch_minutes"))
			.containsExactly(28_633_331, 28_633_332, 28_633_333);
		assertThat(publishedEvents()).extracting((event) -> event.get("minute")).containsExactly(11, 12, 13);
		assertThat(this.bus.get(keys().heartbeatTimestamp())).isEqualTo("28633333");
	}

	@Test
	void catchesUpEveryMissedMinuteOutsideDevelopment() {
		this.bus.template().opsForValue().set(keys().heartbeatTimestamp(), Long.toString(MINUTE - 100));

		assertThat(heartbeat(ZoneOffset.UTC).beat()).isEqualTo(100);

		assertThat(publishedEvents()).extracting((event) -> ((Number) event.get("epoch_minutes")).longValue())
			.startsWith(MINUTE - 99)
			.endsWith(MINUTE)
			.doesNotHaveDuplicates();
	}

	@Test
	void catchesUpOnlyTheLastThreeMinutesInDevelopmentAndTest() {
		this.bus.template().opsForValue().set(keys().heartbeatTimestamp(), Long.toString(MINUTE - 100));
		BusSettings settings = settings();
		Heartbeat development = new Heartbeat(this.bus.redis(), settings, new BusTemplate(this.bus.redis(), settings),
				ZoneOffset.UTC, true);

		assertThat(development.beat()).isEqualTo(3);

		assertThat(publishedEvents()).extracting((event) -> event.get("epoch_minutes"))
			.containsExactly(28_633_331, 28_633_332, 28_633_333);
		assertThat(this.bus.get(keys().heartbeatTimestamp())).isEqualTo("28633333");
		// A recent timestamp is caught up as usual.
		this.bus.template().opsForValue().set(keys().heartbeatTimestamp(), Long.toString(MINUTE - 2));
		assertThat(development.beat()).isEqualTo(2);
	}

	@Test
	void readsTheEnvironmentAsQueueBusDoes() {
		assertThat(Heartbeat.rubyEnvironment(Map.of("RACK_ENV", "test", "BUS_ENV", "production")::get))
			.isEqualTo("test");
		assertThat(Heartbeat.rubyEnvironment(
				Map.of("RAILS_ENV", "production", "RACK_ENV", "development", "BUS_ENV", "test")::get))
			.isEqualTo("production");
		assertThat(Heartbeat.rubyEnvironment(Map.of("BUS_ENV", "development")::get)).isEqualTo("development");
		assertThat(Heartbeat.rubyEnvironment(Map.<String, String>of()::get)).isNull();
		assertThat(Heartbeat.isDevelopment("development")).isTrue();
		assertThat(Heartbeat.isDevelopment("test")).isTrue();
		assertThat(Heartbeat.isDevelopment("production")).isFalse();
		assertThat(Heartbeat.isDevelopment("Development")).isFalse();
		assertThat(Heartbeat.isDevelopment(null)).isFalse();
	}

	@Test
	void publishesNothingWhenTheStoredTimestampIsCurrent() {
		this.bus.template().opsForValue().set(keys().heartbeatTimestamp(), Long.toString(MINUTE));

		assertThat(heartbeat(ZoneOffset.UTC).beat()).isZero();

		assertThat(publishedEvents()).isEmpty();
		assertThat(this.bus.get(keys().heartbeatTimestamp())).isEqualTo("28633333");
		assertThat(this.bus.get(keys().heartbeatLock())).isNull();
	}

	@Test
	void doesNothingWhileAnotherRunnerHoldsAnUnexpiredLock() {
		for (long lockedUntil : new long[] { NOW + 30, NOW }) {
			this.bus.template().opsForValue().set(keys().heartbeatLock(), Long.toString(lockedUntil));

			assertThat(heartbeat(ZoneOffset.UTC).beat()).isZero();

			assertThat(this.bus.get(keys().heartbeatLock())).isEqualTo(Long.toString(lockedUntil));
		}
		assertThat(publishedEvents()).isEmpty();
		assertThat(this.bus.get(keys().heartbeatTimestamp())).isNull();
	}

	@Test
	void takesOverAnExpiredLockAndHoldsItAsNowPlus62WhilePublishing() {
		this.bus.template().opsForValue().set(keys().heartbeatLock(), Long.toString(NOW - 1));
		List<String> locksSeen = new ArrayList<>();
		BusOperations recording = new BusTemplate(this.bus.redis(), settings()) {

			@Override
			public String publish(String type, Map<String, ?> attributes) {
				locksSeen.add(HeartbeatTests.this.bus.get(keys().heartbeatLock()));
				return super.publish(type, attributes);
			}

		};

		int published = new Heartbeat(this.bus.redis(), settings(), recording, ZoneOffset.UTC).beat();

		assertThat(published).isEqualTo(1);
		assertThat(locksSeen).containsExactly(Long.toString(NOW + 62));
		assertThat(publishedEvents()).hasSize(1);
	}

	@Test
	void deletesTheLockWhenDone() {
		heartbeat(ZoneOffset.UTC).beat();

		assertThat(this.bus.get(keys().heartbeatLock())).isNull();
		assertThat(this.bus.template().hasKey(keys().heartbeatLock())).isFalse();
	}

	@Test
	void driverLeavesBothHeartbeatJobShapesToTheRunner() {
		Driver driver = new Driver(settings());
		for (String raw : List.of(CRON_JOB, BARE_JOB)) {
			BusJob job = this.codec.parseJob(raw);
			assertThat(Driver.isHeartbeat(job)).as(raw).isTrue();
			assertThat(driver.drive(job, List.of(), NOW)).as(raw).isEmpty();
		}
		assertThat(Driver.isHeartbeat(this.codec.parseJob(
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_event_type\\\":\\\"x\\\",\\\"bus_class_proxy\\\":\\\"QueueBus::Driver\\\"}\"]}")))
			.isFalse();
	}

	@Test
	void driverRunnerRunsHeartbeatJobsAndDrivesTheEventTheyPublish() {
		BusSettings settings = settings();
		SubscriptionRegistry registry = new SubscriptionRegistry(this.bus.redis(), settings.keys(), settings.codec(),
				Duration.ZERO, settings.clock());
		registry.subscribe("clock_app", List.of(new SubscriptionEntry("clock_app_default", "heartbeat_minutes",
				"::QueueBus::Rider", Map.of("bus_event_type", "heartbeat_minutes"))));
		BusKeys keys = keys();
		this.bus.template().opsForList().rightPushAll(keys.queue(BusKeys.INCOMING_QUEUE), BARE_JOB, CRON_JOB);
		DriverRunner runner = new DriverRunner(this.bus.redis(), settings, registry, 5, Duration.ofMillis(100));
		runner.start();
		try {
			// Two heartbeat jobs plus the one event they published (same frozen minute).
			await().atMost(Duration.ofSeconds(20)).until(() -> "3".equals(this.bus.get(keys.statProcessed())));
		}
		finally {
			runner.stop();
		}

		assertThat(this.bus.list(keys.failed())).isEmpty();
		assertThat(this.bus.list(keys.queue(BusKeys.INCOMING_QUEUE))).isEmpty();
		List<String> riderJobs = this.bus.list(keys.queue("clock_app_default"));
		assertThat(riderJobs).hasSize(1);
		Map<String, Object> rider = this.codec.parseJob(riderJobs.get(0)).event();
		assertThat(rider).containsEntry("bus_event_type", "heartbeat_minutes")
			.containsEntry("bus_rider_sub_key", "heartbeat_minutes")
			.containsEntry("epoch_minutes", 28_633_333)
			.containsEntry("epoch_seconds", 1_717_999_980);
		assertThat(this.bus.get(keys.heartbeatTimestamp())).isEqualTo("28633333");
		assertThat(this.bus.get(keys.heartbeatLock())).isNull();
	}

	private BusSettings settings() {
		return this.bus.settings().withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
	}

	private BusKeys keys() {
		return this.bus.keys();
	}

	private Heartbeat heartbeat(ZoneId zone) {
		BusSettings settings = settings();
		return new Heartbeat(this.bus.redis(), settings, new BusTemplate(this.bus.redis(), settings), zone);
	}

	/** The events on the incoming queue, in order; each must be a heartbeat. */
	private List<Map<String, Object>> publishedEvents() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (String raw : this.bus.list(keys().queue(BusKeys.INCOMING_QUEUE))) {
			BusJob job = this.codec.parseJob(raw);
			assertThat(job.proxy()).isEqualTo("QueueBus::Driver");
			assertThat(job.eventType()).isEqualTo(Heartbeat.EVENT_TYPE);
			events.add(job.event());
		}
		return events;
	}

	/** The attributes after the publish metadata and before the proxy, in wire order. */
	private static Map<String, Object> userAttributes(Map<String, Object> event) {
		assertThat(event.keySet()).startsWith("bus_published_at", "bus_event_type", "bus_id", "bus_app_hostname")
			.endsWith("bus_class_proxy");
		Map<String, Object> attributes = new LinkedHashMap<>(event);
		attributes.keySet().removeIf((name) -> name.startsWith("bus_"));
		return attributes;
	}

}
