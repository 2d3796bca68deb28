package io.resquebus.autoconfigure.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.resquebus.autoconfigure.outbox.OutboxApp.Deliveries;
import io.resquebus.autoconfigure.outbox.OutboxApp.Orders;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The outbox with the driver, worker and scheduler running, on H2 and the tests' Redis: what a
 * transaction publishes is stored with it, delivered once after the commit and its publication
 * completed; a rollback stores and sends nothing; Modulith's {@code @Externalized} events reach
 * the bus.
 */
@SpringBootTest(classes = OutboxApp.class)
@EnabledIf("io.resquebus.autoconfigure.outbox.Outbox#modulithPresent")
class OutboxEndToEndTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("outbox.test.jdbc-url",
				() -> "jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
		registry.add("resquebus.namespace", () -> "test-outbox-" + UUID.randomUUID().toString().substring(0, 8));
		registry.add("resquebus.app-key", () -> "outbox_app");
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
		registry.add("resquebus.driver.block-timeout", () -> "100ms");
	}

	@Autowired
	Orders orders;

	@Autowired
	Deliveries deliveries;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	BusOperations bus;

	@Test
	void storesACommittedEventWithItsTransactionAndDeliversItOnce() {
		List<List<Map<String, Object>>> storedBeforeCommit = new ArrayList<>();
		String busId = this.orders.place(1, (id) -> storedBeforeCommit.add(Outbox.publications(this.jdbc, id)));

		assertThat(storedBeforeCommit.get(0)).as("stored in the transaction").hasSize(1);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.deliveries.count("order_placed", busId) == 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Outbox.publications(this.jdbc, busId).get(0).get("COMPLETION_DATE") != null);
		assertThat(Outbox.publications(this.jdbc, busId).get(0)).containsEntry("STATUS", "COMPLETED");
		assertThat(this.deliveries.count("order_placed", busId)).isEqualTo(1);
	}

	@Test
	void storesAndSendsNothingWhenTheTransactionRollsBack() {
		List<String> rolledBack = new ArrayList<>();
		assertThatIllegalStateException().isThrownBy(() -> this.orders.placeAndFail(2, rolledBack));
		String committed = this.orders.place(3, (id) -> {
		});

		await().atMost(Duration.ofSeconds(20)).until(() -> this.deliveries.count("order_placed", committed) == 1);
		assertThat(Outbox.publications(this.jdbc, rolledBack.get(0))).isEmpty();
		assertThat(this.deliveries.count("order_placed", rolledBack.get(0))).isZero();
	}

	@Test
	void deliversADelayedEventPublishedInATransactionWhenDue() {
		String busId = this.orders.remind(4, Duration.ofSeconds(1));

		await().atMost(Duration.ofSeconds(20)).until(() -> this.deliveries.count("order_reminder", busId) == 1);
		assertThat(Outbox.publications(this.jdbc, busId)).singleElement()
			.satisfies((row) -> assertThat(row).containsEntry("STATUS", "COMPLETED"));
	}

	@Test
	void publishesOutsideATransactionAtOnceWithoutTheRegistry() {
		String busId = this.orders.placeWithoutTransaction(5);

		assertThat(Outbox.publications(this.jdbc, busId)).isEmpty();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.deliveries.count("order_placed", busId) == 1);
	}

	@Test
	void publishesExternalizedApplicationEventsOnTheBusAfterTheCommit() {
		this.orders.ship(6);

		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.deliveries.log.stream().anyMatch((entry) -> entry.startsWith("order_shipped ")
					&& entry.endsWith(" 6 dhl")));
		assertThat(this.deliveries.log).filteredOn((entry) -> entry.endsWith(" 6 dhl")).hasSize(1);
	}

}
