package io.resquebus.autoconfigure.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusPublishException;
import io.resquebus.redis.BusRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Health and the endpoint when Redis is not there for them: stopped while the client keeps Spring
 * Boot's defaults (Lettuce's 60 s command timeout), or refusing the password. They answer within
 * the read timeout, DOWN or {@code 503}, with the reason.
 */
@ExtendWith(OutputCaptureExtension.class)
class BusHealthWithoutRedisTests {

	/** A generous ceiling, far above the read timeout and far below Lettuce's 60 s, only so that a hang fails. */
	private static final Duration CEILING = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(BusHealthContributorAutoConfigurationTests.BUS)
		.withConfiguration(
				AutoConfigurations.of(BusHealthContributorAutoConfiguration.class, BusEndpointAutoConfiguration.class))
		.withUserConfiguration(BusHealthContributorAutoConfigurationTests.Subscriber.class)
		.withPropertyValues("resquebus.namespace=test-down-" + UUID.randomUUID().toString().substring(0, 8),
				"resquebus.app-key=app_h", "resquebus.driver.enabled=false", "resquebus.worker.enabled=false",
				"resquebus.scheduler.enabled=false", "resquebus.read-timeout=500ms",
				"management.endpoints.web.exposure.include=resquebus");

	@Test
	void healthAndEndpointSayRedisIsDownWithinTheReadTimeoutWhileRedisIsStopped() {
		EmbeddedRedisServer server = TestRedis.dedicated();
		try {
			this.contextRunner.withPropertyValues("spring.data.redis.url=" + server.url()).run((context) -> {
				assertThat(context.getBean(BusRedis.class).commandTimeout()).isEqualTo(Duration.ofSeconds(60));
				HealthIndicator indicator = context.getBean("resquebusHealthIndicator", HealthIndicator.class);
				BusEndpoint endpoint = context.getBean(BusEndpoint.class);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP); // the shared connection exists
				server.stop();

				long started = System.nanoTime();
				Health health = assertTimeoutPreemptively(CEILING, () -> indicator.health());
				double healthSeconds = (System.nanoTime() - started) / 1e9;
				started = System.nanoTime();
				WebEndpointResponse<Object> overview = assertTimeoutPreemptively(CEILING, () -> endpoint.overview(5));
				WebEndpointResponse<Object> failed = assertTimeoutPreemptively(CEILING,
						() -> endpoint.section("failed", 0, 5, null));
				double endpointSeconds = (System.nanoTime() - started) / 1e9;
				System.out.printf("FAULT health while Redis is stopped: status=%s seconds=%.2f; endpoint overview "
						+ "and failed: status=%d,%d seconds=%.2f (read timeout 0.5 s, Lettuce command timeout 60 s)%n",
						health.getStatus(), healthSeconds, overview.getStatus(), failed.getStatus(), endpointSeconds);

				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(String.valueOf(health.getDetails().get("error")))
					.contains("Redis at " + server.host() + ":" + server.port())
					.contains("within 500 ms");
				assertThat(overview.getStatus()).isEqualTo(503);
				assertThat(failed.getStatus()).isEqualTo(503);
				assertThat(String.valueOf(((Map<?, ?>) overview.getBody()).get("error")))
					.contains("Redis at " + server.host() + ":" + server.port());

				server.start();
				await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.UP));
			});
		}
		finally {
			server.close();
		}
	}

	@Test
	void saysAuthenticationFailedWhenRedisRefusesThePassword(CapturedOutput output) throws Exception {
		EmbeddedRedisServer server = TestRedis.dedicated();
		// a user with a password; the default user stays open for the server's own start and stop
		assertThat(RespPing.command(server.host(), server.port(), Duration.ofSeconds(2), "ACL", "SETUSER", "bus", "on",
				">right-secret", "~*", "+@all")).isEqualTo("OK");
		try {
			this.contextRunner
				.withPropertyValues(
						"spring.data.redis.url=redis://bus:wrong-secret@" + server.host() + ":" + server.port())
				.run((context) -> {
					Health health = assertTimeoutPreemptively(CEILING,
							() -> context.getBean("resquebusHealthIndicator", HealthIndicator.class).health());
					BusPublishException publish = catchThrowableOfType(BusPublishException.class,
							() -> context.getBean(BusOperations.class).publish("thing_happened", Map.of()));
					await().atMost(Duration.ofSeconds(10))
						.until(() -> output.getOut().contains("Could not write the subscriptions"));
					String startupWarning = output.getOut()
						.lines()
						.filter((line) -> line.contains("Could not write the subscriptions"))
						.findFirst()
						.orElseThrow();
					System.out.printf("FAULT wrong Redis password: health=%s error=\"%s\"; publish=\"%s\"%n",
							health.getStatus(), health.getDetails().get("error"), publish.getMessage());

					assertThat(health.getStatus()).isEqualTo(Status.DOWN);
					assertThat(String.valueOf(health.getDetails().get("error"))).contains("authentication failed")
						.contains("WRONGPASS");
					assertThat(publish).hasMessageContaining("authentication failed").hasMessageContaining("WRONGPASS");
					assertThat(startupWarning).contains("authentication failed").contains("WRONGPASS");
				});
		}
		finally {
			server.close();
		}
	}

}
