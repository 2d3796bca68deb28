package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.resquebus.BusEvent;
import io.resquebus.annotation.Attribute;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.publish.BusOperations;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attribute matchers and bound parameters end to end over a real Redis: the matcher goes to the
 * registry in Ruby's shape, the driver routes by it, the worker binds the handler's record.
 */
@SpringBootTest(classes = AttributeMatcherEndToEndTests.App.class)
class AttributeMatcherEndToEndTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("attrs");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "attrs_app");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Recorder recorder;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void storesTheAttributeMatcherInTheRegistryInRubysShape() {
		assertThat(this.redis.opsForHash().get(keys().app("attrs_app"), "Handlers.emailTier3")).isEqualTo(
				"{\"queue_name\":\"attrs_app_default\",\"key\":\"Handlers.emailTier3\",\"class\":\"::QueueBus::Rider\","
						+ "\"matcher\":{\"bus_event_type\":\"user_updated\",\"email\":\"bus_special_value_present\","
						+ "\"tier\":\"3\"}}");
		assertThat(this.redis.opsForHash().get(keys().app("attrs_app"), "Handlers.homepage")).isEqualTo(
				"{\"queue_name\":\"attrs_app_default\",\"key\":\"Handlers.homepage\",\"class\":\"::QueueBus::Rider\","
						+ "\"matcher\":{\"page\":\"homepage\"}}");
	}

	@Test
	void deliversOnlyEventsWhoseTypeAndAttributesAllMatch() {
		String match = this.bus.publish("user_updated", Map.of("email", "a@b.c", "tier", 3));
		String wrongTier = this.bus.publish("user_updated", Map.of("email", "a@b.c", "tier", 4));
		String blankEmail = this.bus.publish("user_updated", Map.of("email", "  ", "tier", "3"));
		String wrongType = this.bus.publish("user_created", Map.of("email", "a@b.c", "tier", 3));
		String homepage = this.bus.publish("page_viewed", Map.of("page", "homepage"));
		awaitSentinel();
		assertThat(this.recorder.handlersOf(match)).containsExactly("emailTier3");
		assertThat(this.recorder.handlersOf(wrongTier)).isEmpty();
		assertThat(this.recorder.handlersOf(blankEmail)).isEmpty();
		assertThat(this.recorder.handlersOf(wrongType)).isEmpty();
		assertThat(this.recorder.handlersOf(homepage)).containsExactly("homepage");
	}

	@Test
	void routesEverySpecialValueAsQueueBusDoes() {
		String missing = this.bus.publish("special", Map.of());
		String nil = this.bus.publish("special", withNull("v"));
		String empty = this.bus.publish("special", Map.of("v", ""));
		String blank = this.bus.publish("special", Map.of("v", " \t"));
		String zero = this.bus.publish("special", Map.of("v", 0));
		awaitSentinel();
		assertThat(this.recorder.handlersOf(missing)).containsExactlyInAnyOrder("nil", "blank");
		assertThat(this.recorder.handlersOf(nil)).containsExactlyInAnyOrder("key", "nil", "blank");
		assertThat(this.recorder.handlersOf(empty)).containsExactlyInAnyOrder("key", "value", "empty", "blank");
		assertThat(this.recorder.handlersOf(blank)).containsExactlyInAnyOrder("key", "value", "blank");
		assertThat(this.recorder.handlersOf(zero)).containsExactlyInAnyOrder("key", "value", "present");
	}

	@Test
	void bindsTheHandlersRecordFromTheAttributes() {
		String busId = this.bus.publish("order_placed", Map.of("id", 12, "total", 9.5, "coupon", "X"));
		awaitHandled(busId, "order=12/9.5/null");
		assertThat(this.recorder.handlersOf(busId)).containsExactly("order=12/9.5/null");
	}

	@Test
	void sendsAnEventThatCannotBeBoundToTheFailedListWithTheReason() {
		String busId = this.bus.publish("order_placed", Map.of("id", 13, "total", "a lot"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> failedEntries().stream().anyMatch((entry) -> entry.contains(busId)));
		String entry = failedEntries().stream().filter((e) -> e.contains(busId)).findFirst().orElseThrow();
		assertThat(entry).contains("\"exception\":\"io.resquebus.invoke.EventBindingException\"")
			.contains("\"error\":\"Cannot bind event 'order_placed' to "
					+ "io.resquebus.autoconfigure.AttributeMatcherEndToEndTests$OrderPlaced for Handlers.order, "
					+ "attribute 'total': ");
		assertThat(this.recorder.handlersOf(busId)).isEmpty();
	}

	private static Map<String, Object> withNull(String name) {
		Map<String, Object> attributes = new HashMap<>();
		attributes.put(name, null);
		return attributes;
	}

	/** Jobs run in order on the one default queue: once the sentinel ran, every earlier event did. */
	private void awaitSentinel() {
		awaitHandled(this.bus.publish("sentinel", Map.of()), "sentinel");
	}

	private void awaitHandled(String busId, String... handlers) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.recorder.handlersOf(busId)).contains(handlers));
	}

	private List<String> failedEntries() {
		List<String> entries = this.redis.opsForList().range(keys().failed(), 0, -1);
		return (entries != null) ? entries : List.of();
	}

	private BusKeys keys() {
		return new BusKeys(NAMESPACE);
	}

	record OrderPlaced(Long id, double total, String note, @JsonProperty("bus_id") String busId) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(Handlers.class)
	static class App {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	static class Handlers {

		private final Recorder recorder;

		Handlers(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber(value = "user_updated",
				attributes = { @Attribute(name = "email", value = Attribute.PRESENT), @Attribute(name = "tier", value = "3") })
		void emailTier3(BusEvent event) {
			this.recorder.record("emailTier3", event.id());
		}

		@BusSubscriber(attributes = @Attribute(name = "page", value = "homepage"))
		void homepage(BusEvent event) {
			this.recorder.record("homepage", event.id());
		}

		@BusSubscriber(value = "special", attributes = @Attribute(name = "v", value = Attribute.KEY))
		void key(BusEvent event) {
			this.recorder.record("key", event.id());
		}

		@BusSubscriber(value = "special", attributes = @Attribute(name = "v", value = Attribute.NIL))
		void nil(BusEvent event) {
			this.recorder.record("nil", event.id());
		}

		@BusSubscriber(value = "special", attributes = @Attribute(name = "v", value = Attribute.VALUE))
		void value(BusEvent event) {
			this.recorder.record("value", event.id());
		}

		@BusSubscriber(value = "special", attributes = @Attribute(name = "v", value = Attribute.EMPTY))
		void empty(BusEvent event) {
			this.recorder.record("empty", event.id());
		}

		@BusSubscriber(value = "special", attributes = @Attribute(name = "v", value = Attribute.BLANK))
		void blank(BusEvent event) {
			this.recorder.record("blank", event.id());
		}

		@BusSubscriber(value = "special", attributes = @Attribute(name = "v", value = Attribute.PRESENT))
		void present(BusEvent event) {
			this.recorder.record("present", event.id());
		}

		@BusSubscriber("order_placed")
		void order(OrderPlaced order) {
			this.recorder.record("order=" + order.id() + "/" + order.total() + "/" + order.note(), order.busId());
		}

		@BusSubscriber("sentinel")
		void sentinel(BusEvent event) {
			this.recorder.record("sentinel", event.id());
		}

	}

}
