package io.resquebus.sample;

import java.util.Map;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.annotation.Critical;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Subscribers of the sample: each logs what it received.
 */
@Component
class UserHandlers {

	private static final Logger logger = LoggerFactory.getLogger(UserHandlers.class);

	@BusSubscriber("user_created")
	void userCreated(Map<String, Object> attributes) {
		logger.info("user_created received: id={} name={}", attributes.get("id"), attributes.get("name"));
	}

	@BusSubscriber(pattern = "^user_")
	void anyUserEvent(BusEvent event) {
		logger.info("{} seen by the ^user_ subscriber (bus_id {})", event.eventType(), event.id());
	}

	@Critical("user_paid")
	void userPaid(Map<String, Object> attributes) {
		logger.info("user_paid handled first, on the critical queue: amount={}", attributes.get("amount"));
	}

	/** Sent only once the order's transaction committed (see OrderService). */
	@BusSubscriber("order_placed")
	void orderPlaced(Map<String, Object> attributes) {
		logger.info("order_placed received: id={} item={}", attributes.get("id"), attributes.get("item"));
	}

	@BusSubscriber(value = "peeled", queue = "bannana")
	void peeled() {
		logger.info("peeled received on the bannana queue");
	}

}
