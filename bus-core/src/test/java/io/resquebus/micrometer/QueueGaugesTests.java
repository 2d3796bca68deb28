package io.resquebus.micrometer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queue size and in-flight gauges read from a real Redis.
 */
class QueueGaugesTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void reportsTheSizeOfEveryQueueAndTheJobsInFlight() {
		BusKeys keys = this.bus.keys();
		push("app_default", 3);
		push("bus_incoming", 1);
		String consumer = "host:1-1:app_critical,app_default";
		this.bus.template().opsForSet().add(keys.consumers(), consumer);
		this.bus.template().opsForList().rightPushAll(keys.inflight("app_default", consumer), "j1", "j2");
		this.bus.template().opsForList().rightPushAll(keys.inflight("app_critical", consumer), "j3");
		QueueGauges gauges = new QueueGauges(this.bus.redis(), keys, Duration.ZERO, Clock.systemUTC());
		gauges.bindTo(this.registry);
		assertThat(this.registry.get(QueueGauges.INFLIGHT_SIZE).gauge().value()).isEqualTo(3);
		assertThat(queueSize("app_default")).isEqualTo(3);
		assertThat(queueSize("bus_incoming")).isEqualTo(1);
		push("app_default", 1);
		assertThat(queueSize("app_default")).isEqualTo(4);
	}

	@Test
	void readsRedisAtMostOncePerTtl() {
		push("app_default", 2);
		Clock clock = Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC);
		QueueGauges gauges = new QueueGauges(this.bus.redis(), this.bus.keys(), Duration.ofSeconds(5), clock);
		gauges.bindTo(this.registry);
		assertThat(this.registry.get(QueueGauges.INFLIGHT_SIZE).gauge().value()).isZero();
		assertThat(queueSize("app_default")).isEqualTo(2);
		push("app_default", 5);
		assertThat(queueSize("app_default")).isEqualTo(2);
		assertThat(gauges.snapshot().readAt()).isEqualTo(1_000_000);
	}

	private double queueSize(String queue) {
		Gauge gauge = this.registry.find(QueueGauges.QUEUE_SIZE).tag("queue", queue).gauge();
		assertThat(gauge).as(queue).isNotNull();
		return gauge.value();
	}

	private void push(String queue, int jobs) {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForSet().add(keys.queues(), queue);
		for (int i = 0; i < jobs; i++) {
			this.bus.template().opsForList().rightPush(keys.queue(queue), "{\"job\":" + i + "}");
		}
	}

}
