package io.resquebus.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.BusSettings;
import io.resquebus.invoke.JobDispatcher;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handlers see {@code bus_executed_at} (the second they run), as queue-bus's Rider adds it for a
 * Ruby block handler, and it stays in memory: no job, record or failure entry on Redis carries it.
 */
class ExecutedAtTests {

	private static final long NOW = 1_765_000_000L;

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	private final List<BusEvent> received = new CopyOnWriteArrayList<>();

	@Test
	void aWorkerHandlerReceivesBusExecutedAtLastAndRedisNeverHoldsIt() {
		BusKeys keys = this.bus.keys();
		BusSettings settings = this.bus.settings().withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"), (event) -> {
			this.received.add(event);
			if (event.get("fail") != null) {
				throw new IllegalStateException("handler failed");
			}
		}, "t"));
		WorkerRunner runner = new WorkerRunner(this.bus.redis(), settings, subscriptions, List.of(), 1,
				Duration.ofMillis(100));
		runner.setConsumerRegistry(new ConsumerRegistry(this.bus.redis(), settings, Duration.ofSeconds(30)));
		this.bus.template().opsForList().rightPushAll(keys.queue("app_default"), job("ok", false), job("bad", true));
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.bus.list(keys.failed()).size() == 1);
		}
		finally {
			runner.stop();
		}
		assertThat(this.received).hasSize(2);
		for (BusEvent event : this.received) {
			assertThat(event.get(BusAttributes.EXECUTED_AT)).isEqualTo(NOW);
			// Ruby's attributes["bus_executed_at"] = Time.now.to_i appends to the parsed hash.
			assertThat(new ArrayList<>(event.attributes().keySet())).last().isEqualTo(BusAttributes.EXECUTED_AT);
			assertThat(event.attributes()).containsEntry(BusAttributes.CLASS_PROXY, JobClasses.RIDER);
		}
		assertThat(this.bus.list(keys.failed())).singleElement().asString().contains("\"bus_id\\\":\\\"bad\\\"");
		assertThat(valuesOnRedis()).isNotEmpty().noneMatch((value) -> value.contains(BusAttributes.EXECUTED_AT));
	}

	@Test
	void anExistingBusExecutedAtIsReplacedInPlace() throws Exception {
		AppSubscriptions subscriptions = new AppSubscriptions("app");
		subscriptions.add(new LocalSubscription("s_default", "default", LocalSubscription.eventType("e"),
				this.received::add, "t"));
		Map<String, Object> event = new LinkedHashMap<>();
		event.put(BusAttributes.RIDER_APP_KEY, "app");
		event.put(BusAttributes.RIDER_SUB_KEY, "s_default");
		event.put(BusAttributes.EXECUTED_AT, 1);
		event.put(BusAttributes.EVENT_TYPE, "e");
		event.put(BusAttributes.CLASS_PROXY, JobClasses.RIDER);
		new JobDispatcher(this.codec, subscriptions, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
			.dispatch(this.codec.job(event));
		assertThat(this.received).singleElement()
			.satisfies((received) -> assertThat(new ArrayList<>(received.attributes().keySet())).containsExactly(
					BusAttributes.RIDER_APP_KEY, BusAttributes.RIDER_SUB_KEY, BusAttributes.EXECUTED_AT,
					BusAttributes.EVENT_TYPE, BusAttributes.CLASS_PROXY))
			.satisfies((received) -> assertThat(received.get(BusAttributes.EXECUTED_AT)).isEqualTo(NOW));
	}

	private String job(String busId, boolean fail) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put(BusAttributes.RIDER_APP_KEY, "app");
		event.put(BusAttributes.RIDER_SUB_KEY, "s_default");
		event.put(BusAttributes.ID, busId);
		event.put(BusAttributes.EVENT_TYPE, "e");
		if (fail) {
			event.put("fail", true);
		}
		event.put(BusAttributes.CLASS_PROXY, JobClasses.RIDER);
		return this.codec.job(event);
	}

	/** Every string, list and hash value under the test's namespace. */
	private List<String> valuesOnRedis() {
		List<String> values = new ArrayList<>();
		for (String pattern : Set.of(this.bus.namespace() + ":*", "{" + this.bus.namespace() + ":*")) {
			try (Cursor<String> cursor = this.bus.template()
				.scan(ScanOptions.scanOptions().match(pattern).count(500).build())) {
				cursor.forEachRemaining((key) -> {
					switch (this.bus.template().type(key).code()) {
						case "string" -> values.add(this.bus.get(key));
						case "list" -> values.addAll(this.bus.list(key));
						case "hash" -> this.bus.hash(key).values().forEach((value) -> values.add(value.toString()));
						case "set" -> values.addAll(this.bus.members(key));
						default -> {
						}
					}
				});
			}
		}
		return values;
	}

}
