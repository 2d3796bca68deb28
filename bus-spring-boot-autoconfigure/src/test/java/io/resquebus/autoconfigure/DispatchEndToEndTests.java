package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.dispatch.BusDispatchConfigurer;
import io.resquebus.publish.BusOperations;
import io.resquebus.subscription.Match;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions declared by {@link BusDispatchConfigurer} beans, end to end over a real Redis,
 * side by side with {@code @BusSubscriber} methods in one registry.
 */
@SpringBootTest(classes = DispatchEndToEndTests.App.class)
class DispatchEndToEndTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("dsl");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "dsl_app");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	Recorder recorder;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void registersDispatchAndAnnotatedSubscriptionsTogether() {
		assertThat(this.redis.opsForHash().keys(keys().app("dsl_app"))).containsExactlyInAnyOrder("user_created",
				"user_paid", "peeled", "(?-mix:^order_)", "my_key", "Annotated.created", "Annotated.replaced",
				"ordered");
		assertThat(this.redis.opsForSet().members(keys().queues())).contains("dsl_app_default", "dsl_app_critical",
				"dsl_app_bannana");
	}

	@Test
	void storesAMatcherMapSubscriptionInRubysShape() {
		assertThat(this.redis.opsForHash().get(keys().app("dsl_app"), "my_key"))
			.isEqualTo("{\"queue_name\":\"dsl_app_default\",\"key\":\"my_key\",\"class\":\"::QueueBus::Rider\","
					+ "\"matcher\":{\"user_id\":\"bus_special_value_present\",\"page\":\"homepage\"}}");
	}

	@Test
	void deliversToDispatchAndAnnotatedSubscribersAlike() {
		String busId = this.bus.publish("user_created", Map.of("id", 1));
		awaitHandled(busId, "dsl.created", "annotated.created");
	}

	@Test
	void deliversCriticalEventsToATypedHandler() {
		String busId = this.bus.publish("user_paid", Map.of("amount", 10.5));
		awaitHandled(busId, "dsl.paid=10.5");
	}

	@Test
	void deliversThroughANamedQueue() {
		String busId = this.bus.publish("peeled", Map.of());
		awaitHandled(busId, "dsl.peeled");
	}

	@Test
	void deliversByPatternAndByMatcherMap() {
		String order = this.bus.publish("order_shipped", Map.of());
		String visit = this.bus.publish("page_viewed", Map.of("user_id", 4, "page", "homepage"));
		String anonymous = this.bus.publish("page_viewed", Map.of("page", "homepage"));
		awaitHandled(order, "dsl.order");
		awaitHandled(visit, "dsl.homepage");
		awaitHandled(this.bus.publish("user_created", Map.of()), "dsl.created");
		assertThat(this.recorder.handlersOf(anonymous)).isEmpty();
	}

	@Test
	void letsADispatchSubscriptionReplaceTheAnnotatedOneWithTheSameKey() {
		String busId = this.bus.publish("shared_event", Map.of());
		awaitHandled(busId, "dsl.replaced");
		awaitHandled(this.bus.publish("user_created", Map.of()), "dsl.created");
		assertThat(this.recorder.handlersOf(busId)).containsExactly("dsl.replaced");
	}

	@Test
	void appliesConfigurersInOrderSoTheLastOneWins() {
		String busId = this.bus.publish("ordered_event", Map.of());
		awaitHandled(busId, "second");
		awaitHandled(this.bus.publish("user_created", Map.of()), "dsl.created");
		assertThat(this.recorder.handlersOf(busId)).containsExactly("second");
	}

	private void awaitHandled(String busId, String... handlers) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.recorder.handlersOf(busId)).contains(handlers));
	}

	private BusKeys keys() {
		return new BusKeys(NAMESPACE);
	}

	record UserPaid(double amount, @JsonProperty("bus_id") String busId) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		Annotated annotated(Recorder recorder) {
			return new Annotated(recorder);
		}

		@Bean
		BusDispatchConfigurer userDispatch(Recorder recorder) {
			return (dispatch) -> {
				dispatch.subscribe("user_created", (event) -> recorder.record("dsl.created", event.id()));
				dispatch.critical("user_paid", UserPaid.class,
						(paid) -> recorder.record("dsl.paid=" + paid.amount(), paid.busId()));
				dispatch.queue("bannana").subscribe("peeled", (event) -> recorder.record("dsl.peeled", event.id()));
				dispatch.subscribePattern("^order_", (event) -> recorder.record("dsl.order", event.id()));
				Map<String, Object> homepage = new LinkedHashMap<>();
				homepage.put("user_id", Match.PRESENT);
				homepage.put("page", "homepage");
				dispatch.subscribe("my_key", homepage, (event) -> recorder.record("dsl.homepage", event.id()));
				dispatch.subscribe("Annotated.replaced", Map.of("bus_event_type", "shared_event"),
						(event) -> recorder.record("dsl.replaced", event.id()));
			};
		}

		@Bean
		@Order(2)
		BusDispatchConfigurer second(Recorder recorder) {
			return (dispatch) -> dispatch.subscribe("ordered", Map.of("bus_event_type", "ordered_event"),
					(event) -> recorder.record("second", event.id()));
		}

		@Bean
		@Order(1)
		BusDispatchConfigurer first(Recorder recorder) {
			return (dispatch) -> dispatch.subscribe("ordered", Map.of("bus_event_type", "ordered_event"),
					(event) -> recorder.record("first", event.id()));
		}

	}

	static class Annotated {

		private final Recorder recorder;

		Annotated(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber("user_created")
		void created(BusEvent event) {
			this.recorder.record("annotated.created", event.id());
		}

		@BusSubscriber("shared_event")
		void replaced(BusEvent event) {
			this.recorder.record("annotated.replaced", event.id());
		}

	}

}
