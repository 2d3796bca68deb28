package io.resquebus.sample;

import java.time.Duration;

import io.resquebus.BusSettings;
import io.resquebus.test.autoconfigure.AutoConfigureTestRedis;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The seed's {@code Archive} job: one Ruby's {@code Resque.enqueue} pushed is performed and logged
 * with its arguments, and the HTTP endpoint enqueues one in Ruby's bytes.
 */
@SpringBootTest(properties = { "resquebus.worker.block-timeout=100ms", "resquebus.driver.block-timeout=100ms" })
@AutoConfigureMockMvc
@AutoConfigureTestRedis
@ExtendWith(OutputCaptureExtension.class)
class ArchiveJobTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	BusSettings settings;

	@Autowired
	WorkerRunner worker;

	@Test
	void theWorkerWorksFileServeByDefault() {
		assertThat(this.worker.queues()).contains("file_serve");
	}

	@Test
	void performsTheArchiveJobRubysResqueEnqueued(CapturedOutput output) {
		this.redis.opsForSet().add(this.settings.keys().queues(), "file_serve");
		this.redis.opsForList().rightPush(this.settings.keys().queue("file_serve"),
				"{\"class\":\"Archive\",\"args\":[42,\"masterbrew\"]}");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).contains("Archive performed: repo_id=42 branch=masterbrew"));
	}

	@Test
	void enqueuesAnArchiveJobInRubysBytesFromTheEndpoint(CapturedOutput output) throws Exception {
		this.worker.pause();
		try {
			// a fetch already blocking when paused ends within the block timeout (100ms)
			Thread.sleep(500);
			this.mvc.perform(post("/archive/7").param("branch", "main"))
				.andExpect(status().isAccepted())
				.andExpect(jsonPath("$.queue").value("file_serve"));
			assertThat(this.redis.opsForList().range(this.settings.keys().queue("file_serve"), 0, -1))
				.contains("{\"class\":\"Archive\",\"args\":[7,\"main\"]}");
		}
		finally {
			this.worker.resume();
		}
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut()).contains("Archive performed: repo_id=7 branch=main"));
	}

}
