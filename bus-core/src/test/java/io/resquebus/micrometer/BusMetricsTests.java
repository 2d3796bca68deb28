package io.resquebus.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.resquebus.support.TestBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters of a real publish, drive and handle on Redis.
 */
class BusMetricsTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	private BusOnRedis app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.stop();
		}
	}

	@Test
	void countsPublishedDrivenAndHandledEventsWithTheirTags() {
		start(EventTypeTags.DEFAULT_MAX_OTHER_TYPES);
		this.app.template.publish("good", Map.of("n", 1));
		this.app.template.publish("good", Map.of("n", 2));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.size() == 2
				&& timer("success") != null && timer("success").count() == 2);
		assertThat(counter(BusMetrics.PUBLISHED, "app", "app", "event.type", "good", "outcome", "success").count())
			.isEqualTo(2);
		assertThat(counter(BusMetrics.DRIVEN, "app", "app", "queue", "app_default", "event.type", "good").count())
			.isEqualTo(2);
		Timer timer = timer("success");
		assertThat(timer.getId().getTags()).containsExactlyInAnyOrder(Tag.of("app", "app"),
				Tag.of("queue", "app_default"), Tag.of("subscription", "good_one"), Tag.of("event.type", "good"),
				Tag.of("outcome", "success"));
		assertThat(this.registry.find(BusMetrics.FAILED).meters()).isEmpty();
	}

	@Test
	void recordsAFailedHandlerWithTheSameTagKeysAsASuccessfulOne() {
		start(EventTypeTags.DEFAULT_MAX_OTHER_TYPES);
		this.app.template.publish("good", Map.of());
		this.app.template.publish("bad", Map.of());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.registry.find(BusMetrics.FAILED).counter() != null && timer("success") != null);
		Timer failure = timer("failure");
		assertThat(failure.count()).isEqualTo(1);
		assertThat(failure.getId().getTags()).contains(Tag.of("subscription", "bad_one"), Tag.of("event.type", "bad"));
		assertThat(tagKeys(failure)).isEqualTo(tagKeys(timer("success")));
		Counter failed = counter(BusMetrics.FAILED, "app", "app", "queue", "app_default", "event.type", "bad",
				"exception", "IllegalStateException");
		assertThat(failed.count()).isEqualTo(1);
	}

	@Test
	void boundsTheEventTypeTagToSubscribedTypesAndALimitOfOthers() {
		start(1);
		this.app.template.publish("unheard_of_1", Map.of());
		this.app.template.publish("unheard_of_2", Map.of());
		this.app.template.publish("unheard_of_3", Map.of());
		this.app.template.publish("good", Map.of());
		assertThat(this.registry.find(BusMetrics.PUBLISHED).counters())
			.extracting((counter) -> counter.getId().getTag("event.type"))
			.containsExactlyInAnyOrder("unheard_of_1", "other", "good");
		assertThat(counter(BusMetrics.PUBLISHED, "app", "app", "event.type", "other", "outcome", "success").count())
			.isEqualTo(2);
	}

	@Test
	void countsRetriesWithTheSameTagKeysAsFailures() {
		BusMetrics metrics = new BusMetrics(this.registry, null, new EventTypeTags(() -> List.of("good"), 0));
		metrics.retried("app_default", "good", 1, new IllegalStateException());
		metrics.retried("app_default", "unknown", 2, new IllegalStateException());
		assertThat(counter(BusMetrics.RETRIED, "app", "none", "queue", "app_default", "event.type", "good").count())
			.isEqualTo(1);
		assertThat(counter(BusMetrics.RETRIED, "app", "none", "queue", "app_default", "event.type", "other").count())
			.isEqualTo(1);
	}

	@Test
	void tagsAMissingEventTypeAsNone() {
		EventTypeTags tags = new EventTypeTags(Set::of, 0);
		assertThat(tags.tag(null)).isEqualTo("none");
		assertThat(tags.tag("")).isEqualTo("none");
		assertThat(tags.tag("anything")).isEqualTo("other");
	}

	private void start(int maxOtherTypes) {
		EventTypeTags tags = new EventTypeTags(() -> List.of("good", "bad"), maxOtherTypes);
		this.app = new BusOnRedis(this.bus, (event) -> this.handled.add(event.id()),
				new BusMetrics(this.registry, "app", tags));
	}

	private Counter counter(String name, String... tags) {
		Counter counter = this.registry.find(name).tags(tags).counter();
		assertThat(counter).as(name + " " + List.of(tags)).isNotNull();
		return counter;
	}

	private Timer timer(String outcome) {
		return this.registry.find(BusMetrics.HANDLED).tag("outcome", outcome).timer();
	}

	private static List<String> tagKeys(Meter meter) {
		return meter.getId().getTags().stream().map(Tag::getKey).sorted().toList();
	}

}
