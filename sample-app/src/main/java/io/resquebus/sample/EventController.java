package io.resquebus.sample;

import java.util.Map;

import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusPublishException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes events: {@code curl -X POST localhost:8080/events/user_created -H 'Content-Type: application/json' -d '{"id":42}'}.
 */
@RestController
class EventController {

	private final BusOperations bus;

	EventController(BusOperations bus) {
		this.bus = bus;
	}

	@PostMapping("/events/{type}")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> publish(@PathVariable String type, @RequestBody(required = false) @Nullable Map<String, Object> body) {
		String busId = this.bus.publish(type, (body != null) ? body : Map.of());
		return Map.of("bus_id", busId, "event_type", type);
	}

	/** Redis did not take the event: say so, rather than a bare 500. */
	@ExceptionHandler(BusPublishException.class)
	@ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
	Map<String, String> redisDown(BusPublishException ex) {
		return Map.of("error", ex.getMessage());
	}

}
