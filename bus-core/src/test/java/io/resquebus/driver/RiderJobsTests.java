package io.resquebus.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.wire.BusJob;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.RiderMembers;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rider jobs made from one serialization of the event are, byte for byte, the jobs written in full.
 */
class RiderJobsTests {

	private static final long NOW = 1_718_000_500L;

	private final WireCodec codec = new WireCodec();

	@Test
	void writesTheSameBytesAsWritingEachRiderJobInFull() {
		List<SubscriptionEntry> subscriptions = List.of(
				new SubscriptionEntry("app_b_default", "user_created", "::QueueBus::Rider", Map.of()),
				new SubscriptionEntry("app_c_critical", "Quote\"d \\ key\n\u0001", "Some::Class", Map.of()),
				new SubscriptionEntry("app_d_été", "clé/ü", "::QueueBus::Rider", Map.of()));
		int templated = 0;
		for (Map<String, Object> event : events()) {
			RiderJobs jobs = RiderJobs.of(this.codec, new BusJob("", JobClasses.WORKER, event), NOW, subscriptions.size());
			for (SubscriptionEntry subscription : subscriptions) {
				String app = subscription.queueName().substring(0, 5) + "\"\\";
				assertThat(jobs.job(RiderMembers.of(app, subscription))).as("%s for %s", event, subscription)
					.isEqualTo(this.codec.job(Events.rider(event, NOW, app, subscription)));
			}
			templated += jobs.templated() ? 1 : 0;
		}
		assertThat(templated).as("events written from a template").isEqualTo(3);
	}

	@Test
	void splicesFromTheIncomingJobTheSameBytesAsWritingEachRiderJobInFull() {
		List<SubscriptionEntry> subscriptions = List.of(
				new SubscriptionEntry("app_b_default", "user_created", "::QueueBus::Rider", Map.of()),
				new SubscriptionEntry("app_c_critical", "Quote\"d \\ key\n\u0001", "Some::Class", Map.of()));
		int spliced = 0;
		for (Map<String, Object> event : events()) {
			BusJob job = this.codec.parseJob(this.codec.job(event));
			for (int matches = 1; matches <= subscriptions.size(); matches++) {
				RiderJobs jobs = RiderJobs.of(this.codec, job, NOW, matches);
				for (SubscriptionEntry subscription : subscriptions.subList(0, matches)) {
					String app = "app \"" + matches;
					assertThat(jobs.job(RiderMembers.of(app, subscription))).as("%s for %s", event, subscription)
						.isEqualTo(this.codec.job(Events.rider(event, NOW, app, subscription)));
				}
				spliced += (this.codec.splicesRiderJobs(job) && !jobs.templated()) ? 1 : 0;
			}
		}
		// The event with bus_class_proxy first, and those with a rider attribute, are not spliced.
		assertThat(spliced).as("events spliced, for one and two matches").isEqualTo(2 * 4);
	}

	private List<Map<String, Object>> events() {
		List<Map<String, Object>> events = new ArrayList<>();
		events.add(event(Map.of()));
		events.add(event(Map.of("text", "a \"quoted\" \\ line\nnext\ttab é ü \u2028", "n", 1.0e20, "list",
				List.of(1, "two", Map.of("x", "y")))));
		Map<String, Object> proxyFirst = new LinkedHashMap<>();
		proxyFirst.put("bus_class_proxy", "QueueBus::Driver");
		proxyFirst.put("bus_event_type", "x");
		events.add(proxyFirst);
		// Not templated: a rider attribute of the event wins, or the event holds the marker text.
		events.add(event(Map.of("bus_rider_queue", "elsewhere")));
		events.add(event(Map.of("bus_rider_class_name", "Other")));
		events.add(event(Map.of("sneaky", RiderJobs.MARK + "q")));
		events.add(event(Map.of(RiderJobs.MARK + "a", "key")));
		return events;
	}

	private static Map<String, Object> event(Map<String, Object> attributes) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("bus_published_at", 1_718_000_000L);
		event.put("bus_event_type", "user_created");
		event.put("bus_id", "1718000000-abc");
		event.putAll(attributes);
		event.put("bus_class_proxy", "QueueBus::Driver");
		return event;
	}

}
