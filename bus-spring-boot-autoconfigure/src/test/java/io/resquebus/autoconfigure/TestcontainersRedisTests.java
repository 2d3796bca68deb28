package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.Map;

import com.redis.testcontainers.RedisContainer;
import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.publish.BusOperations;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bus on a Testcontainers Redis wired by {@code @ServiceConnection}. Skipped where no Docker
 * engine answers (the other tests use an embedded redis-server there).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = TestcontainersRedisTests.App.class, properties = "resquebus.app-key=tc_app")
class TestcontainersRedisTests {

	@Container
	@ServiceConnection
	static final RedisContainer redis = new RedisContainer(DockerImageName.parse("redis:7-alpine"));

	@Autowired
	BusOperations bus;

	@Autowired
	Recorder recorder;

	@Test
	void deliversAnEventThroughAContainerRedis() {
		String busId = this.bus.publish("user_created", Map.of("id", 1));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.recorder.handlersOf(busId)).containsExactly("handler"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

		@Bean
		Handler handler(Recorder recorder) {
			return new Handler(recorder);
		}

	}

	static class Handler {

		private final Recorder recorder;

		Handler(Recorder recorder) {
			this.recorder = recorder;
		}

		@BusSubscriber("user_created")
		void handle(BusEvent event) {
			this.recorder.record("handler", event.id());
		}

	}

}
