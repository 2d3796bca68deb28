package io.resquebus.sample;

import java.time.Duration;
import java.util.UUID;

import io.resquebus.embedded.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's quick start as a test: POST an event, see the handler's log line.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
		registry.add("resquebus.namespace", () -> "test-sample-" + UUID.randomUUID().toString().substring(0, 8));
	}

	@Autowired
	MockMvc mvc;

	@Test
	void publishedEventReachesTheHandlersLog(CapturedOutput output) throws Exception {
		this.mvc.perform(post("/events/user_created").contentType(MediaType.APPLICATION_JSON)
			.content("{\"id\":42,\"name\":\"John\"}"))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.bus_id").isString());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).contains("user_created received: id=42 name=John")
				.contains("user_created seen by the ^user_ subscriber"));
	}

	@Test
	void peeledEventsGoThroughTheBannanaQueue(CapturedOutput output) throws Exception {
		this.mvc.perform(post("/events/peeled")).andExpect(status().isAccepted());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).contains("peeled received on the bannana queue"));
	}

}
