package io.resquebus.autoconfigure;

import java.time.Duration;

import io.resquebus.autoconfigure.TransactionalApp.Handlers;
import io.resquebus.autoconfigure.TransactionalApp.Orders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Transactional publishing with the driver and worker running: an event published in a
 * transaction that commits reaches its subscriber exactly once; one that rolls back never does.
 */
@SpringBootTest(classes = TransactionalApp.class)
class TransactionalPublishEndToEndTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("tx-e2e");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "tx_e2e_app");
	}

	@Autowired
	Orders orders;

	@Autowired
	Handlers handlers;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void deliversACommittedEventOnceAndARolledBackOneNever() {
		assertThatIllegalStateException().isThrownBy(() -> this.orders.placeAndFail(20));
		String rolledBack = this.handlers.log.stream()
			.filter((entry) -> entry.contains(" order=20 "))
			.map((entry) -> entry.split(" ")[1])
			.findFirst()
			.orElseThrow();
		String committed = this.orders.place(21, (busId) -> {
		});

		await().atMost(Duration.ofSeconds(20)).until(() -> this.handlers.log.contains("notify " + committed));
		await().atMost(Duration.ofSeconds(20)).until(() -> BusOnTestRedis.allQueuesDrained(this.redis, NAMESPACE));
		assertThat(this.handlers.log).filteredOn((entry) -> entry.equals("notify " + committed)).hasSize(1);
		assertThat(this.handlers.log).noneMatch((entry) -> entry.equals("notify " + rolledBack));
	}

	@Test
	void deliversWhatATransactionalEventListenerPublishes() {
		this.orders.ship(22);

		await().atMost(Duration.ofSeconds(20)).until(() -> this.handlers.log.contains("ship 22"));
	}

}
