package io.resquebus.sample;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.resquebus.test.autoconfigure.AutoConfigureTestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's quick start as a test, end to end over a real Redis: POST an event, see the
 * handler's log line.
 */
@SpringBootTest(properties = { "resquebus.worker.block-timeout=100ms", "resquebus.driver.block-timeout=100ms" })
@AutoConfigureMockMvc
@AutoConfigureTestRedis
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcTemplate jdbc;

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
	void publishesAnOrderOnlyWhenItsTransactionCommits(CapturedOutput output) throws Exception {
		this.mvc.perform(post("/orders/901?item=unobtainium")).andExpect(status().isConflict());
		String busId = JsonPath.read(this.mvc.perform(post("/orders/902?item=book"))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString(), "$.bus_id");

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).contains("order_placed received: id=902 item=book"));
		assertThat(output.getOut()).doesNotContain("order_placed received: id=901");
		// Through the outbox (Spring Modulith's registry): stored with the order, completed once sent.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject("select count(*) from event_publication where serialized_event like ?"
					+ " and completion_date is not null", Integer.class, "%" + busId + "%") == 1);
	}

	/** bus-test does not bring Testcontainers along: {@code @AutoConfigureTestRedis} works without it. */
	@Test
	void runsOnTheTestRedisWithoutTestcontainersOnTheClasspath() {
		assertThatExceptionOfType(ClassNotFoundException.class)
			.isThrownBy(() -> Class.forName("org.testcontainers.DockerClientFactory"));
		assertThat(io.resquebus.embedded.TestRedis.shared().kind()).isNotEqualTo("testcontainers");
	}

	@Test
	void reportsTheBusHealthyWithItsQueues() throws Exception {
		this.mvc.perform(get("/actuator/health/resquebus"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.details.queues.sample_app_default.depth").isNumber());
	}

	@Test
	void peeledEventsGoThroughTheBannanaQueue(CapturedOutput output) throws Exception {
		this.mvc.perform(post("/events/peeled")).andExpect(status().isAccepted());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).contains("peeled received on the bannana queue"));
	}

}
