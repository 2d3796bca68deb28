package io.resquebus.publish;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing the 14 events of the Ruby golden run with a frozen clock writes byte for byte what
 * queue-bus wrote.
 */
class BusTemplateGoldenTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	@Test
	void publishesTheSameBytesAsRubyForEveryGoldenEvent() {
		List<String> rubyJobs = Golden.load("02_published.json").list("queue:bus_incoming");
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.goldenSettings(TestBus.GOLDEN_NOW));
		for (String rubyJob : rubyJobs) {
			Map<String, Object> event = this.codec.parseJob(rubyJob).event();
			template.publish((String) event.get(BusAttributes.EVENT_TYPE), userAttributes(event));
		}
		assertThat(rubyJobs).hasSize(14);
		assertThat(this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))).containsExactlyElementsOf(rubyJobs);
		assertThat(this.bus.members(this.bus.keys().queues())).containsExactly(BusKeys.INCOMING_QUEUE);
	}

	@Test
	void publishesTheSameBytesAsRubyAsynchronouslyAllAtOnce() {
		List<String> rubyJobs = Golden.load("02_published.json").list("queue:bus_incoming");
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.goldenSettings(TestBus.GOLDEN_NOW));
		List<java.util.concurrent.CompletableFuture<String>> sent = rubyJobs.stream().map((rubyJob) -> {
			Map<String, Object> event = this.codec.parseJob(rubyJob).event();
			return template.publishAsync((String) event.get(BusAttributes.EVENT_TYPE), userAttributes(event));
		}).toList();
		sent.forEach(java.util.concurrent.CompletableFuture::join);
		assertThat(this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))).containsExactlyElementsOf(rubyJobs);
		assertThat(this.bus.members(this.bus.keys().queues())).containsExactly(BusKeys.INCOMING_QUEUE);
	}

	@Test
	void returnsTheBusIdItWrote() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		String busId = template.publish("user_created", Map.of("id", 42));
		String job = this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE)).get(0);
		assertThat(this.codec.parseJob(job).event()).containsEntry(BusAttributes.ID, busId).containsEntry("id", 42);
		assertThat(busId).matches("\\d{10}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
	}

	@Test
	void stripsHopAttributesAUserForwardsFromAReceivedEvent() {
		Map<String, Object> forwarded = new LinkedHashMap<>();
		forwarded.put("bus_rider_sub_key", "old");
		forwarded.put("bus_driven_at", 1);
		forwarded.put("bus_class_proxy", "::QueueBus::Rider");
		forwarded.put("id", 7);
		new BusTemplate(this.bus.redis(), this.bus.settings()).publish("order_paid", forwarded);
		String job = this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE)).get(0);
		assertThat(this.codec.parseJob(job).event()).doesNotContainKeys("bus_rider_sub_key", "bus_driven_at")
			.containsEntry("id", 7)
			.containsEntry(BusAttributes.CLASS_PROXY, "QueueBus::Driver");
	}

	@Test
	void rejectsValuesRubyCannotReadBackBeforeWritingAnything() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> template.publish("user_created", Map.of("when", new Object())))
			.withMessageContaining("java.lang.Object");
		assertThat(this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))).isEmpty();
	}

	/** What a Ruby caller passed: the event minus the metadata publish adds. */
	private static Map<String, Object> userAttributes(Map<String, Object> event) {
		Map<String, Object> attributes = new LinkedHashMap<>(event);
		List.of(BusAttributes.PUBLISHED_AT, BusAttributes.EVENT_TYPE, BusAttributes.ID, BusAttributes.APP_HOSTNAME,
				BusAttributes.CLASS_PROXY)
			.forEach(attributes::remove);
		return attributes;
	}

}
