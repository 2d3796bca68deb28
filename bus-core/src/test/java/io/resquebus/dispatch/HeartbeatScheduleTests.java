package io.resquebus.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.resquebus.BusSettings;
import io.resquebus.driver.Heartbeat;
import io.resquebus.internal.EventBinder;
import io.resquebus.publish.BusTemplate;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code on_heartbeat} in Java: {@link BusDispatch#onHeartbeat} subscriptions match the
 * heartbeat events of the minutes they name, checked against a week of events as
 * {@link Heartbeat} publishes them, and are stored as matchers any Ruby driver applies.
 */
class HeartbeatScheduleTests {

	/** 2024-06-16T23:59:00Z, a Sunday: the week before it is Monday 00:00 to Sunday 23:59. */
	private static final long LAST_MINUTE = 1_718_582_340L / 60;

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	private final AppSubscriptions subscriptions = new AppSubscriptions("app");

	private final BusDispatch dispatch = new BusDispatch(this.subscriptions, EventBinder.of(this.codec.mapper()),
			"test");

	@Test
	void eachScheduleMatchesExactlyTheMinutesItNamesInAWeekOfHeartbeats() {
		this.dispatch.onHeartbeat("every_minute", HeartbeatSchedule.everyMinute(), (event) -> {
		});
		this.dispatch.onHeartbeat("quarter_hours", HeartbeatSchedule.everyMinutes(15), (event) -> {
		});
		this.dispatch.onHeartbeat("hourly", HeartbeatSchedule.hourly(0), (event) -> {
		});
		this.dispatch.onHeartbeat("nightly", HeartbeatSchedule.daily(3, 30), (event) -> {
		});
		this.dispatch.onHeartbeat("monday_morning", HeartbeatSchedule.weekly(1, 9, 0), (event) -> {
		});
		Map<String, List<String>> matched = new TreeMap<>();
		for (Map<String, Object> event : aWeekOfHeartbeats()) {
			for (LocalSubscription subscription : this.subscriptions.matching(event)) {
				matched.computeIfAbsent(subscription.key(), (key) -> new ArrayList<>())
					.add(event.get("wday") + " " + event.get("hour") + ":" + event.get("minute"));
			}
		}
		assertThat(matched.get("every_minute")).hasSize(7 * 24 * 60);
		assertThat(matched.get("quarter_hours")).hasSize(7 * 24 * 4)
			.allSatisfy((time) -> assertThat(time).matches(".*:(0|15|30|45)"));
		assertThat(matched.get("hourly")).hasSize(7 * 24).allSatisfy((time) -> assertThat(time).endsWith(":0"));
		assertThat(matched.get("nightly")).containsExactly("1 3:30", "2 3:30", "3 3:30", "4 3:30", "5 3:30", "6 3:30",
				"0 3:30");
		assertThat(matched.get("monday_morning")).containsExactly("1 9:0");
	}

	@Test
	void storesSchedulesAsMatchersOnTheHeartbeatsFields() {
		this.dispatch.onHeartbeat("nightly", HeartbeatSchedule.daily(3, 30), (event) -> {
		});
		this.dispatch.onHeartbeat("quarter_hours", HeartbeatSchedule.everyMinutes(15), (event) -> {
		});
		assertThat(this.subscriptions.find("nightly").orElseThrow().matcher()).containsExactly(
				entry(BusAttributes.EVENT_TYPE, "heartbeat_minutes"), entry("hour", "3"), entry("minute", "30"));
		assertThat(this.subscriptions.find("quarter_hours").orElseThrow().matcher()).containsExactly(
				entry(BusAttributes.EVENT_TYPE, "heartbeat_minutes"),
				entry("minute", "(?-mix:^(?:0|15|30|45)$)"));
	}

	@Test
	void rejectsTimesThatNeverComeRound() {
		assertThatIllegalArgumentException().isThrownBy(() -> HeartbeatSchedule.hourly(60)).withMessageContaining("minute");
		assertThatIllegalArgumentException().isThrownBy(() -> HeartbeatSchedule.daily(24, 0)).withMessageContaining("hour");
		assertThatIllegalArgumentException().isThrownBy(() -> HeartbeatSchedule.weekly(7, 0, 0)).withMessageContaining("wday");
		assertThatIllegalArgumentException().isThrownBy(() -> HeartbeatSchedule.everyMinutes(0))
			.withMessageContaining("interval");
	}

	/** The events one heartbeat run publishes to catch up a week, each as a driver sees it. */
	private List<Map<String, Object>> aWeekOfHeartbeats() {
		BusSettings settings = this.bus.settings()
			.withClock(Clock.fixed(Instant.ofEpochSecond(LAST_MINUTE * 60 + 30), ZoneOffset.UTC));
		List<Map<String, Object>> events = new ArrayList<>();
		BusTemplate recording = new BusTemplate(this.bus.redis(), settings) {

			@Override
			public String publish(String type, Map<String, ?> attributes) {
				Map<String, Object> event = new LinkedHashMap<>();
				event.put(BusAttributes.EVENT_TYPE, type);
				event.putAll(attributes);
				events.add(event);
				return "";
			}

		};
		this.bus.template()
			.opsForValue()
			.set(this.bus.keys().heartbeatTimestamp(), Long.toString(LAST_MINUTE - 7 * 24 * 60));
		new Heartbeat(this.bus.redis(), settings, recording, ZoneOffset.UTC).beat();
		assertThat(events).hasSize(7 * 24 * 60);
		return events;
	}

}
