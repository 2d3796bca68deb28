package io.resquebus.sample;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Places orders: {@code curl -X POST 'localhost:8080/orders/1?item=book'}; {@code item=unobtainium}
 * rolls the transaction back, and no {@code order_placed} goes out.
 */
@RestController
class OrderController {

	private final OrderService orders;

	OrderController(OrderService orders) {
		this.orders = orders;
	}

	@PostMapping("/orders/{id}")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, String> place(@PathVariable int id, @RequestParam String item) {
		return Map.of("bus_id", this.orders.place(id, item));
	}

	@ExceptionHandler(OrderService.OutOfStockException.class)
	@ResponseStatus(HttpStatus.CONFLICT)
	Map<String, String> outOfStock(OrderService.OutOfStockException ex) {
		return Map.of("error", ex.getMessage());
	}

}
