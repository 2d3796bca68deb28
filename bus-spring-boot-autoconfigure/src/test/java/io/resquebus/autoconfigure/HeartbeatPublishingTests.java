package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusListener;
import io.resquebus.driver.Heartbeat;
import io.resquebus.embedded.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler's minute heartbeat publishes through the auto-configured template, so the
 * application's {@link BusListener}s (metrics, tracing) see its events as they see any other.
 */
class HeartbeatPublishingTests {

	@Test
	void publishesTheMinuteHeartbeatThroughTheTemplateTheListenersObserve() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.url=" + TestRedis.shared().url(),
					"resquebus.namespace=" + BusOnTestRedis.namespace("heartbeat"), "resquebus.app-key=heartbeat_app",
					"resquebus.driver.enabled=false", "resquebus.worker.enabled=false",
					"resquebus.scheduler.poll-interval=100ms")
			.run()) {
			List<String> published = context.getBean(App.class).published;
			await().atMost(Duration.ofSeconds(20)).until(() -> published.contains(Heartbeat.EVENT_TYPE));
			assertThat(published).containsOnly(Heartbeat.EVENT_TYPE);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<String> published = new CopyOnWriteArrayList<>();

		@Bean
		BusListener recordingListener() {
			return new BusListener() {

				@Override
				public Publishing publishing(String eventType) {
					App.this.published.add(eventType);
					return Publishing.NONE;
				}

			};
		}

	}

}
