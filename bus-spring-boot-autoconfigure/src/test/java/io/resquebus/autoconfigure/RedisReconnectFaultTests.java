package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.resource.ClientResources;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusPublishException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stays away longer than Lettuce's reconnect back-off takes to reach its 30 s ceiling, then
 * returns: the application's connection (with Spring Boot's defaults otherwise) reconnects within
 * about {@code resquebus.max-reconnect-delay}, so publishing works again a moment later rather
 * than up to 30 s later.
 */
@SpringBootTest(classes = RedisReconnectFaultTests.App.class)
@DirtiesContext
class RedisReconnectFaultTests {

	/** Lettuce's default back-off (1 ms doubling to 30 s) reaches its ceiling after about 33 s of attempts. */
	private static final Duration OUTAGE = Duration.ofSeconds(45);

	static final EmbeddedRedisServer server = TestRedis.dedicated();

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> "redis://" + server.host() + ":" + server.port());
		registry.add("resquebus.namespace", () -> "test-" + UUID.randomUUID().toString().substring(0, 8));
		registry.add("resquebus.publish.timeout", () -> "300ms");
		registry.add("resquebus.worker.enabled", () -> "false");
		registry.add("resquebus.driver.enabled", () -> "false");
		registry.add("resquebus.scheduler.enabled", () -> "false");
	}

	@AfterAll
	static void stopRedis() {
		server.close();
	}

	@Test
	void publishingWorksAgainSoonAfterRedisReturnsFromALongOutage(@Autowired BusOperations bus,
			@Autowired ClientResources resources, @Autowired ResqueBusProperties properties) throws Exception {
		bus.publish("warm_up", Map.of());
		server.stop();
		long outageEnds = System.nanoTime() + OUTAGE.toNanos();
		int failedDuringOutage = 0;
		while (System.nanoTime() < outageEnds) {
			try {
				bus.publish("during_outage", Map.of());
			}
			catch (BusPublishException ex) {
				failedDuringOutage++;
			}
			Thread.sleep(1000);
		}
		server.start();
		long returned = System.nanoTime();
		int failedAfterReturn = 0;
		String published = null;
		while (published == null && System.nanoTime() - returned < Duration.ofSeconds(60).toNanos()) {
			try {
				published = bus.publish("after_outage", Map.of());
			}
			catch (BusPublishException ex) {
				failedAfterReturn++;
				Thread.sleep(50);
			}
		}
		double seconds = (System.nanoTime() - returned) / 1e9;
		System.out.printf("FAULT reconnect: outageSeconds=%d maxReconnectDelay=%s lettuceDelay=%s "
				+ "failedDuringOutage=%d failedAfterReturn=%d secondsAfterRedisReturned=%.2f%n", OUTAGE.toSeconds(),
				properties.getMaxReconnectDelay(), resources.reconnectDelay().getClass().getSimpleName(),
				failedDuringOutage, failedAfterReturn, seconds);
		assertThat(published).as("publishing works again once Redis is back").isNotNull();
		assertThat(resources.reconnectDelay().createDelay(40)).as("the back-off Lettuce would wait after a long outage")
			.isLessThanOrEqualTo(properties.getMaxReconnectDelay());
		await().atMost(Duration.ofSeconds(10)).until(() -> bus.publish("still_working", Map.of()) != null);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
