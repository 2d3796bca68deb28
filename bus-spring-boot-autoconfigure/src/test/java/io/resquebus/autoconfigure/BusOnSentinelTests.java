package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.ReadFrom;
import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.embedded.EmbeddedSentinelGroup;
import io.resquebus.publish.BusOperations;
import io.resquebus.redis.BusRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An application on {@code spring.data.redis.sentinel.*} only, against real Sentinels: the bus
 * publishes, drives and works through a Master/Replica connection, and carries on across a
 * {@code SENTINEL FAILOVER} (run as the README's runbook says) without any setting of its own.
 */
@SpringBootTest(classes = BusOnSentinelTests.App.class)
class BusOnSentinelTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("sentinel");

	static EmbeddedSentinelGroup group;

	@BeforeAll
	static void startSentinels() {
		assumeTrue(EmbeddedSentinelGroup.isAvailable(), "no redis-server binary");
		group = EmbeddedSentinelGroup.builder().dataNodeConfig("min-replicas-to-write 1", "min-replicas-max-lag 1")
			.build();
		group.start();
	}

	@AfterAll
	static void stopSentinels() {
		if (group != null) {
			group.close();
		}
	}

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.sentinel.master", () -> group.masterName());
		registry.add("spring.data.redis.sentinel.nodes", () -> group.sentinelNodes());
		registry.add("spring.data.redis.timeout", () -> "2s");
		registry.add("resquebus.namespace", () -> NAMESPACE);
		registry.add("resquebus.app-key", () -> "sentinel_app");
		// Generous: on a loaded machine (load 16 on 2 cores) getting through the failover took a publish more than 10 s
		registry.add("resquebus.publish.timeout", () -> "30s");
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
		registry.add("resquebus.driver.block-timeout", () -> "100ms");
	}

	@Test
	void publishesAndHandlesEventsOnTheMasterAcrossAFailover(@Autowired BusOperations bus, @Autowired Handlers handlers,
			@Autowired BusRedis busRedis) {
		LettuceConnectionFactory factory = (LettuceConnectionFactory) busRedis.connectionFactory();
		assertThat(factory.getSentinelConfiguration()).isNotNull();
		assertThat(factory.getClientConfiguration().getReadFrom()).contains(ReadFrom.UPSTREAM);
		String before = bus.publish("invoice_sent", Map.of("n", 0));
		await().atMost(Duration.ofSeconds(60)).until(() -> handlers.received.contains(before));
		int oldMaster = group.masterPort();
		// The README's runbook for a planned failover, without which the old master may take a few writes
		assertThat(group.call(oldMaster, "CONFIG", "SET", "min-replicas-to-write", "2")).isEqualTo("OK");
		assertThat(group.call(oldMaster, "CLIENT", "PAUSE", "3000", "WRITE")).isEqualTo("OK");
		group.failover();
		List<String> published = new ArrayList<>();
		for (int n = 1; n <= 50; n++) {
			published.add(bus.publish("invoice_sent", Map.of("n", n)));
		}
		int newMaster = group.awaitNewMaster(oldMaster, Duration.ofSeconds(60));
		// The new topology in place (the old master and the other replica following the new one) before the
		// last publish, which the new master would otherwise refuse (NOREPLICAS) until its publish timeout
		assertThat(group.awaitReplicasInSync(Duration.ofSeconds(60))).isEqualTo(newMaster);
		String after = bus.publish("invoice_sent", Map.of("n", 51));
		published.add(after);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(handlers.received).containsAll(published));
		assertThat(busRedis.describe()).contains("Sentinel master 'mymaster'");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		final Set<String> received = ConcurrentHashMap.newKeySet();

		@BusSubscriber("invoice_sent")
		void sent(BusEvent event) {
			this.received.add(event.id());
		}

	}

}
