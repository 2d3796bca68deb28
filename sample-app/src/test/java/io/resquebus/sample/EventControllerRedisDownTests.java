package io.resquebus.sample;

import java.util.Map;

import io.resquebus.publish.BusPublishException;
import io.resquebus.test.RecordingBusOperations;
import io.resquebus.test.autoconfigure.AutoConfigureRecordingBus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * When Redis does not take an event, the client hears why (503 with the bus's message), not a bare 500.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureRecordingBus
class EventControllerRedisDownTests {

	@Autowired
	MockMvc mvc;

	@Test
	void answersServiceUnavailableNamingTheRedisThatDidNotTakeTheEvent() throws Exception {
		this.mvc.perform(post("/events/user_created").contentType(MediaType.APPLICATION_JSON).content("{\"id\":1}"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.error").value("Could not publish 'user_created' to Redis at 127.0.0.1:6390: down"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class RedisDown {

		@Bean
		@Primary
		RecordingBusOperations unreachableBus() {
			return new RecordingBusOperations() {

				@Override
				public String publish(String eventType, Map<String, ?> attributes) {
					throw new BusPublishException("Could not publish '" + eventType + "' to Redis at 127.0.0.1:6390: down",
							new RedisConnectionFailureException("down"));
				}

			};
		}

	}

}
