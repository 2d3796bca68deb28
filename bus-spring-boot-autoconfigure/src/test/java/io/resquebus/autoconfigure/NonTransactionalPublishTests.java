package io.resquebus.autoconfigure;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.TransactionalApp.Orders;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code resquebus.publish.transactional=false}: a publish inside a transaction is sent at once,
 * as before, even though the transaction has not committed.
 */
@SpringBootTest(classes = TransactionalApp.class,
		properties = { "resquebus.publish.transactional=false", "resquebus.driver.enabled=false",
				"resquebus.worker.enabled=false", "resquebus.scheduler.enabled=false" })
class NonTransactionalPublishTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("no-tx");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "no_tx_app");
	}

	@Test
	void sendsAtOnceInsideATransactionWhenSwitchedOff(@Autowired Orders orders, @Autowired BusSettings settings,
			@Autowired StringRedisTemplate redis) {
		String incoming = settings.keys().queue(BusKeys.INCOMING_QUEUE);
		long[] beforeCommit = new long[1];

		String busId = orders.place(30, (id) -> beforeCommit[0] = redis.opsForList()
			.range(incoming, 0, -1)
			.stream()
			.filter((job) -> job.contains(id))
			.count());

		assertThat(beforeCommit[0]).isOne();
		assertThat(redis.opsForList().range(incoming, 0, -1)).filteredOn((job) -> job.contains(busId)).hasSize(1);
	}

}
