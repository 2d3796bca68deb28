package io.resquebus.sample;

import java.util.Map;

import io.resquebus.publish.BusOperations;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Saves an order and publishes {@code order_placed} in one transaction: the event goes out after
 * the commit, and not at all when the transaction rolls back (here: an item out of stock). With
 * Spring Modulith's JDBC registry on the class path, the event is stored with the order and sent
 * until Redis takes it (the transactional outbox).
 */
@Service
class OrderService {

	private final JdbcTemplate jdbc;

	private final BusOperations bus;

	OrderService(JdbcTemplate jdbc, BusOperations bus) {
		this.jdbc = jdbc;
		this.bus = bus;
	}

	@Transactional
	String place(int id, String item) {
		this.jdbc.update("insert into orders (id, item) values (?, ?)", id, item);
		String busId = this.bus.publish("order_placed", Map.of("id", id, "item", item));
		if (item.equals("unobtainium")) {
			throw new OutOfStockException(item);
		}
		return busId;
	}

	static final class OutOfStockException extends RuntimeException {

		OutOfStockException(String item) {
			super(item + " is out of stock");
		}

	}

}
