package io.resquebus.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.resquebus.BusSettings;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import io.resquebus.redis.BusRedis;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A publish meeting a Redis that refuses writes as a failing-over one does ({@code NOREPLICAS}
 * from a master without the replicas {@code min-replicas-to-write} asks for) sends the same event
 * again until Redis takes it or the publish timeout ends.
 */
class PublishFailoverRetryTests {

	private EmbeddedRedisServer server;

	private LettuceConnectionFactory factory;

	private BusSettings settings;

	private BusTemplate bus;

	@BeforeEach
	void start() {
		this.server = EmbeddedRedisServer.builder().arg("--min-replicas-to-write", "1").build();
		this.server.start();
		this.factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.server.host(), this.server.port()));
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.settings = BusSettings.defaults()
			.withKeys(new BusKeys("test-" + UUID.randomUUID().toString().substring(0, 8)))
			.withHostname("test-host");
		this.bus = new BusTemplate(this.settings,
				new QueuedTransport(new BusRedis(this.factory), this.settings, Duration.ofSeconds(3)));
	}

	@AfterEach
	void stop() {
		this.factory.destroy();
		this.server.close();
	}

	@Test
	void publishesOnceRedisTakesWritesAgainWithinThePublishTimeout() throws Exception {
		CompletableFuture<String> published = CompletableFuture
			.supplyAsync(() -> this.bus.publish("paid", Map.of("order", 7)));
		Thread.sleep(300);
		assertThat(published).isNotDone();
		assertThat(config("min-replicas-to-write", "0")).isEqualTo("OK");
		String busId = published.get(5, TimeUnit.SECONDS);
		List<String> incoming = incoming();
		assertThat(incoming).hasSize(1);
		assertThat(new WireCodec().parseJob(incoming.get(0)).event()).containsEntry("bus_id", busId);
	}

	@Test
	void failsWithTheBusIdToPublishAgainUnderWhenRedisStillRefusesAtTheTimeout() {
		BusPublishTimeoutException ex = catchThrowableOfType(BusPublishTimeoutException.class,
				() -> this.bus.publish("paid", Map.of("order", 7), "busid-7"));
		assertThat(ex.busIds()).containsExactly("busid-7");
		assertThat(ex).hasMessageContaining("failing-over Redis").hasMessageContaining("NOREPLICAS")
			.hasMessageContaining("publish again with the same bus_id");
		assertThat(incoming()).isEmpty();
	}

	@Test
	void asynchronousPublishesAreRetriedToo() throws Exception {
		CompletableFuture<String> published = this.bus.publishAsync("paid", Map.of("order", 8));
		Thread.sleep(300);
		assertThat(published).isNotDone();
		config("min-replicas-to-write", "0");
		String busId = published.get(5, TimeUnit.SECONDS);
		assertThat(incoming()).singleElement()
			.satisfies((job) -> assertThat(new WireCodec().parseJob(job).event()).containsEntry("bus_id", busId));
	}

	private List<String> incoming() {
		return new StringRedisTemplate(this.factory).opsForList()
			.range(this.settings.keys().queue(BusKeys.INCOMING_QUEUE), 0, -1);
	}

	private String config(String name, String value) throws Exception {
		return RespPing.command(this.server.host(), this.server.port(), Duration.ofSeconds(2), "CONFIG", "SET", name,
				value);
	}

}
