package io.resquebus.autoconfigure.outbox;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.outbox.OutboxApp.Orders;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis is down when the transaction commits: the commit stands, the publication stays
 * incomplete in the registry and is retried with back-off, and once Redis is back on the same
 * port the event reaches {@code bus_incoming} once, with its bus_id; so does an
 * {@code @Externalized} event (a new bus_id per attempt, only one of which reached Redis). Runners are off so that the
 * job stays on {@code bus_incoming} to be counted.
 */
@SpringBootTest(classes = OutboxApp.class)
@EnabledIf("io.resquebus.autoconfigure.outbox.Outbox#modulithPresent")
@DirtiesContext
class OutboxRedisDownTests {

	static final EmbeddedRedisServer server = TestRedis.dedicated();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("outbox.test.jdbc-url",
				() -> "jdbc:h2:mem:outbox-down-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		registry.add("spring.data.redis.url", () -> "redis://" + server.host() + ":" + server.port());
		registry.add("resquebus.namespace", () -> "test-outbox-down-" + UUID.randomUUID().toString().substring(0, 8));
		registry.add("resquebus.app-key", () -> "outbox_app");
		registry.add("resquebus.publish.timeout", () -> "300ms");
		registry.add("resquebus.publish.outbox.check-interval", () -> "100ms");
		registry.add("resquebus.publish.outbox.initial-backoff", () -> "200ms");
		registry.add("resquebus.publish.outbox.max-backoff", () -> "1s");
		registry.add("resquebus.worker.enabled", () -> "false");
		registry.add("resquebus.driver.enabled", () -> "false");
		registry.add("resquebus.scheduler.enabled", () -> "false");
		registry.add("resquebus.register-subscriptions", () -> "false");
	}

	@AfterAll
	static void stopRedis() {
		server.close();
	}

	@Autowired
	Orders orders;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	BusSettings settings;

	@Test
	void deliversWhatCommittedWhileRedisWasDownOnceRedisReturns() {
		server.stop();
		String first = this.orders.place(10, (busId) -> {
		});
		// Racy by nature (the resubmitter may already be at it): printed, not asserted.
		Map<String, Object> atCommit = Outbox.publications(this.jdbc, first).get(0);
		String second = this.orders.place(11, (busId) -> {
		});
		this.orders.ship(12);
		assertThat(atCommit.get("COMPLETION_DATE")).as("incomplete after the commit").isNull();
		await().atMost(Duration.ofSeconds(30)).until(() -> attempts(first) >= 2);
		int attemptsWhileDown = attempts(first);

		server.start();
		long returned = System.nanoTime();
		await().atMost(Duration.ofSeconds(30)).until(() -> completed(first) && completed(second));
		double seconds = (System.nanoTime() - returned) / 1e9;
		await().atMost(Duration.ofSeconds(30))
			.until(() -> Outbox.incoming(this.redis, this.settings, "order_shipped", 12) > 0);
		long firstCopies = Outbox.incoming(this.redis, this.settings, first);
		long secondCopies = Outbox.incoming(this.redis, this.settings, second);
		long externalized = Outbox.incoming(this.redis, this.settings, "order_shipped", 12);
		System.out.printf("FAULT outbox redis-down at commit: statusAtCommit=%s retriesWhileDown=%d "
				+ "secondsToCompleteAfterRedisReturned=%.2f copiesOnBusIncoming=%d,%d (same bus_id) "
				+ "externalizedCopies=%d%n", atCommit.get("STATUS"), attemptsWhileDown, seconds, firstCopies,
				secondCopies, externalized);
		assertThat(firstCopies).isEqualTo(1);
		assertThat(secondCopies).isEqualTo(1);
		assertThat(externalized).isEqualTo(1);
	}

	private int attempts(String busId) {
		Object attempts = Outbox.publications(this.jdbc, busId).get(0).get("COMPLETION_ATTEMPTS");
		return (attempts != null) ? ((Number) attempts).intValue() : 0;
	}

	private boolean completed(String busId) {
		return Outbox.publications(this.jdbc, busId).get(0).get("COMPLETION_DATE") != null;
	}

}
