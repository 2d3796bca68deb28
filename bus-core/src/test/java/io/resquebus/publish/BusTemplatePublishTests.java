package io.resquebus.publish;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.BusRedis;
import io.resquebus.support.DedicatedRedis;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Publishing objects and batches: event types from {@code @EventType} or the class name,
 * attributes through the bus's mapper, a batch in one round trip and all or nothing.
 */
class BusTemplatePublishTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	@EventType("user_created")
	record UserCreated(long id, String firstName, Instant at) {
	}

	record OrderPaid(String orderId, double amount) {
	}

	@Test
	void publishesARecordUnderItsAnnotatedTypeWithItsComponentsAsAttributes() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		template.publish(new UserCreated(42, "John", Instant.parse("2024-06-10T06:13:20Z")));
		Map<String, Object> event = incoming().get(0);
		assertThat(event).containsEntry(BusAttributes.EVENT_TYPE, "user_created")
			.containsEntry("id", 42)
			.containsEntry("firstName", "John")
			.containsEntry("at", "2024-06-10T06:13:20Z");
		assertThat(List.copyOf(event.keySet())).containsSubsequence(BusAttributes.ID, "id", "firstName", "at",
				BusAttributes.CLASS_PROXY);
	}

	@Test
	void namesAnUnannotatedClassInSnakeCase() {
		new BusTemplate(this.bus.redis(), this.bus.settings()).publish(new OrderPaid("o-1", 10.5));
		assertThat(incoming().get(0)).containsEntry(BusAttributes.EVENT_TYPE, "order_paid")
			.containsEntry("amount", 10.5);
	}

	@Test
	void refusesAMapWhoseEventTypeItCannotTell() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		assertThatIllegalArgumentException().isThrownBy(() -> template.publish((Object) Map.of("id", 1)))
			.withMessageContaining("publish(eventType, attributes)");
	}

	@Test
	void publishesUnderTheCallersBusIdSoThatARetryIsTheSameEventDownstream() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		String id = "1795440956-eb625512-0000-4000-8000-000000000001";
		assertThat(template.publish("paid", Map.of("n", 1), id)).isEqualTo(id);
		assertThat(template.publish("paid", Map.of("n", 1), id)).isEqualTo(id);
		assertThat(template.publish("paid", Map.of(BusAttributes.ID, "from-attributes"))).isEqualTo("from-attributes");
		assertThat(incoming()).extracting((event) -> event.get(BusAttributes.ID))
			.containsExactly(id, id, "from-attributes");
		assertThat(List.copyOf(incoming().get(0).keySet())).startsWith(BusAttributes.PUBLISHED_AT,
				BusAttributes.EVENT_TYPE, BusAttributes.ID);
		assertThatIllegalArgumentException().isThrownBy(() -> template.publish("paid", Map.of(), ""));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> template.publish("paid", Map.of(BusAttributes.ID, "other"), id));
	}

	@Test
	void publishesAllOrNothing() {
		BusTemplate template = new BusTemplate(this.bus.redis(), this.bus.settings());
		List<String> ids = template.publishAll(List.of(OutgoingEvent.of("a", Map.of("n", 1)), new OrderPaid("o", 1.0),
				OutgoingEvent.of("c", Map.of())));
		assertThat(incoming()).extracting((event) -> event.get(BusAttributes.EVENT_TYPE))
			.containsExactly("a", "order_paid", "c");
		assertThat(incoming()).extracting((event) -> event.get(BusAttributes.ID)).containsExactlyElementsOf(ids);
		assertThatIllegalArgumentException().isThrownBy(() -> template
			.publishAll(List.of(OutgoingEvent.of("d", Map.of()), OutgoingEvent.of("e", Map.of("x", new Object())))));
		assertThat(incoming()).hasSize(3);
	}

	@Test
	void publishesABatchInOnePushWithoutAScript() throws Exception {
		try (EmbeddedRedisServer server = TestRedis.dedicated()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(server.host(), server.port()));
			factory.afterPropertiesSet();
			factory.start();
			try {
				BusTemplate template = new BusTemplate(new BusRedis(factory), this.bus.settings());
				template.publish("warm_up", Map.of());
				long pushesBefore = pushes(server);
				long scriptsBefore = DedicatedRedis.scriptCalls(server);
				template.publishAll(java.util.stream.IntStream.range(0, 100)
					.mapToObj((i) -> OutgoingEvent.of("e", Map.of("i", i)))
					.toList());
				assertThat(pushes(server) - pushesBefore).as("pushes").isOne();
				assertThat(DedicatedRedis.scriptCalls(server) - scriptsBefore).as("scripts").isZero();
				assertThat(new org.springframework.data.redis.core.StringRedisTemplate(factory).opsForList()
					.size(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))).isEqualTo(101);
			}
			finally {
				factory.destroy();
			}
		}
	}

	/** The {@code RPUSH} commands a Redis ran so far, inside scripts too. */
	static long pushes(EmbeddedRedisServer server) throws Exception {
		return DedicatedRedis.calls(server, "rpush");
	}

	private List<Map<String, Object>> incoming() {
		return this.bus.list(this.bus.keys().queue(BusKeys.INCOMING_QUEUE))
			.stream()
			.map((job) -> this.codec.parseJob(job).event())
			.toList();
	}

}
