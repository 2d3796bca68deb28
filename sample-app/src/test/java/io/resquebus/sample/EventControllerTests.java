package io.resquebus.sample;

import java.util.Map;

import io.resquebus.test.RecordingBusOperations;
import io.resquebus.test.autoconfigure.AutoConfigureRecordingBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static io.resquebus.test.BusAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The controller with the recording bus: no Redis, assertions on what was published.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureRecordingBus
@ExtendWith(OutputCaptureExtension.class)
class EventControllerTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	RecordingBusOperations bus;

	@AfterEach
	void clear() {
		this.bus.clear();
	}

	@Test
	void publishesThePostedEventWithItsAttributes() throws Exception {
		this.mvc.perform(post("/events/user_created").contentType(MediaType.APPLICATION_JSON)
			.content("{\"id\":42,\"name\":\"John\"}"))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.bus_id").isString());
		assertThat(this.bus).published("user_created", 1)
			.withAttribute("id", 42)
			.withAttribute("name", "John")
			.notScheduled();
	}

	@Test
	void publishesAnEventWithoutBodyWithNoAttributes() throws Exception {
		this.mvc.perform(post("/events/peeled")).andExpect(status().isAccepted());
		assertThat(this.bus).published("peeled").withAttributesExactly(Map.of());
		assertThat(this.bus).didNotPublish("user_created");
	}

	@Test
	void runsTheAppsOwnHandlersForWhatItPublished(CapturedOutput output) throws Exception {
		this.mvc.perform(post("/events/user_paid").contentType(MediaType.APPLICATION_JSON).content("{\"amount\":10}"))
			.andExpect(status().isAccepted());
		assertThat(output.getOut()).doesNotContain("user_paid handled first");
		this.bus.deliverAll();
		assertThat(output.getOut()).contains("user_paid handled first, on the critical queue: amount=10")
			.contains("user_paid seen by the ^user_ subscriber");
	}

}
