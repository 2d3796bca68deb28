package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.TransactionalApp.Handlers;
import io.resquebus.autoconfigure.TransactionalApp.Orders;
import io.resquebus.publish.BusOperations;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Publishing inside a {@code @Transactional} method on a real database (H2 through a
 * {@code DataSourceTransactionManager}) and a real Redis: what reaches Redis, and when. No driver
 * or worker runs, so what was sent stays on {@code bus_incoming} to be counted.
 */
@SpringBootTest(classes = TransactionalApp.class,
		properties = { "resquebus.driver.enabled=false", "resquebus.worker.enabled=false",
				"resquebus.scheduler.enabled=false" })
class TransactionalPublishTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("tx");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "tx_app");
	}

	@Autowired
	Orders orders;

	@Autowired
	Handlers handlers;

	@Autowired
	BusOperations bus;

	@Autowired
	BusSettings settings;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void sendsTheEventOnlyAfterTheTransactionCommitsAndThenOnce() {
		String busId = this.orders.place(1, (id) -> assertThat(sent(id)).as("sent before the commit").isZero());

		assertThat(sent(busId)).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from orders where id = 1", Integer.class)).isOne();
	}

	@Test
	void sendsNothingWhenTheTransactionRollsBack() {
		assertThatIllegalStateException().isThrownBy(() -> this.orders.placeAndFail(2))
			.withMessage("payment declined for order 2");

		String busId = busIdReservedFor(2);
		assertThat(sent(busId)).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from orders where id = 2", Integer.class)).isZero();
	}

	@Test
	void runsTheSyncSubscriberAtOnceInTheCallersTransaction() {
		String busId = this.orders.place(3, (id) -> assertThat(this.handlers.log).contains("reserve " + id
				+ " order=3 tx=true rows=1"));

		assertThat(this.handlers.log).contains("reserve " + busId + " order=3 tx=true rows=1");
	}

	@Test
	void sendsAtOnceOutsideATransaction() {
		String busId = this.orders.placeWithoutTransaction(4);

		assertThat(sent(busId)).isEqualTo(1);
		assertThat(this.handlers.log).contains("reserve " + busId + " order=4 tx=false rows=0");
	}

	@Test
	void sendsWhatATransactionalEventListenerPublishesAfterTheCommit() {
		this.orders.ship(5);

		assertThat(incoming()).filteredOn((job) -> job.contains("order_shipped"))
			.hasSize(1);
	}

	@Test
	void sendsWhatAnotherSynchronizationPublishesInAfterCommit() {
		String[] busId = new String[1];
		new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> TransactionSynchronizationManager
			.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					busId[0] = TransactionalPublishTests.this.bus.publish("order_audited", Map.of("id", 6));
				}
			}));

		assertThat(sent(busId[0])).isEqualTo(1);
	}

	@Test
	void schedulesADelayedEventOnlyWhenTheTransactionCommits() {
		TransactionTemplate transaction = new TransactionTemplate(this.transactionManager);
		String committed = transaction.execute((status) -> {
			String busId = this.bus.publishIn(Duration.ofHours(1), "reminder_due", Map.of("id", 7));
			assertThat(scheduled(busId)).as("scheduled before the commit").isFalse();
			return busId;
		});
		String rolledBack = transaction.execute((status) -> {
			status.setRollbackOnly();
			return this.bus.publishIn(Duration.ofHours(1), "reminder_due", Map.of("id", 8));
		});

		assertThat(scheduled(committed)).isTrue();
		assertThat(scheduled(rolledBack)).isFalse();
	}

	private String busIdReservedFor(int orderId) {
		return this.handlers.log.stream()
			.filter((entry) -> entry.contains(" order=" + orderId + " tx=true rows=1"))
			.map((entry) -> entry.split(" ")[1])
			.findFirst()
			.orElseThrow();
	}

	private long sent(String busId) {
		return incoming().stream().filter((job) -> job.contains(busId)).count();
	}

	private List<String> incoming() {
		return this.redis.opsForList().range(this.settings.keys().queue(BusKeys.INCOMING_QUEUE), 0, -1);
	}

	/** Whether resque-scheduler's delayed set holds the event, at any time. */
	private boolean scheduled(String busId) {
		return this.redis.keys(NAMESPACE + ":delayed:*")
			.stream()
			.filter((key) -> !key.equals(this.settings.keys().delayedSchedule()))
			.flatMap((key) -> this.redis.opsForList().range(key, 0, -1).stream())
			.anyMatch((item) -> item.contains(busId));
	}

}
