package io.resquebus.autoconfigure;

import java.util.Map;

import io.resquebus.annotation.BusSubscriber;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/health} and {@code /actuator/resquebus} over HTTP (MockMvc) in a web app on a
 * real Redis: read-only by default, writable once access is granted.
 */
class ActuatorOverHttpTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("actuator");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "ops_app");
	}

	@Nested
	@SpringBootTest(classes = App.class,
			properties = { "management.endpoints.web.exposure.include=health,resquebus",
					"management.endpoint.health.show-details=always" })
	@AutoConfigureMockMvc
	class ReadOnlyByDefault {

		@Autowired
		MockMvcTester mvc;

		@Test
		void reportsTheBusInHealth() {
			assertThat(this.mvc.get().uri("/actuator/health/resquebus")).hasStatusOk()
				.bodyJson()
				.hasPathSatisfying("$.status", (status) -> assertThat(status).isEqualTo("UP"))
				.hasPathSatisfying("$.details.runners.worker", (state) -> assertThat(state).isEqualTo("running"))
				.hasPathSatisfying("$.details.queues.ops_app_default.depth", (depth) -> assertThat(depth).isEqualTo(0));
		}

		@Test
		void showsTheOverviewAndRefusesWrites() {
			assertThat(this.mvc.get().uri("/actuator/resquebus?size=5")).hasStatusOk()
				.bodyJson()
				.hasPathSatisfying("$.app", (app) -> assertThat(app).isEqualTo("ops_app"))
				.hasPathSatisfying("$.subscriptions.items[0].queue",
						(queue) -> assertThat(queue).isEqualTo("ops_app_default"));
			assertThat(this.mvc.get().uri("/actuator/resquebus/failed?offset=0&size=1000")).hasStatusOk();
			assertThat(this.mvc.get().uri("/actuator/resquebus/failed/999999?maxBytes=1000")).hasStatus(404)
				.bodyJson()
				.hasPathSatisfying("$.error", (error) -> assertThat(error).isEqualTo("No failed entry 999999"));
			assertThat(this.mvc.post()
				.uri("/actuator/resquebus/failed/retry-all")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{}")).hasStatus4xxClientError();
		}

	}

	@Nested
	@SpringBootTest(classes = App.class,
			properties = { "management.endpoints.web.exposure.include=resquebus",
					"management.endpoint.resquebus.access=unrestricted" })
	@AutoConfigureMockMvc
	class WritableWhenGranted {

		@Autowired
		MockMvcTester mvc;

		@Test
		void acceptsActionsAndRefusesAShiftedFailedEntry() {
			assertThat(this.mvc.post()
				.uri("/actuator/resquebus/failed/retry-all")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{}")).hasStatusOk()
				.bodyJson()
				.hasPathSatisfying("$.retried", (retried) -> assertThat(retried).isEqualTo(0));
			assertThat(this.mvc.post()
				.uri("/actuator/resquebus/failed/remove")
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"index\": 0, \"digest\": \"0000\"}")).hasStatus(409);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		@BusSubscriber("report_requested")
		void onReport(Map<String, Object> event) {
		}

	}

}
