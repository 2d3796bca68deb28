package io.resquebus.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.annotation.BusSubscriber;
import io.resquebus.embedded.TestRedis;
import io.resquebus.runner.BusRunnerEvent;
import io.resquebus.runner.BusRunnerPausedEvent;
import io.resquebus.runner.BusRunnerResumedEvent;
import io.resquebus.runner.BusRunnerStartedEvent;
import io.resquebus.runner.BusRunnerStoppedEvent;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured driver, worker and scheduler publish their lifecycle as Spring application
 * events an {@code @EventListener} receives.
 */
class RunnerLifecycleEventsTests {

	@Test
	void publishesStartPauseResumeAndStopOfEveryRunnerAsApplicationEvents() {
		List<BusRunnerEvent> events;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("spring.data.redis.url=" + TestRedis.shared().url(),
					"resquebus.namespace=" + BusOnTestRedis.namespace("events"), "resquebus.app-key=events_app",
					"resquebus.driver.enabled=true", "resquebus.worker.block-timeout=100ms",
					"resquebus.driver.block-timeout=100ms", "resquebus.scheduler.heartbeat=false")
			.run()) {
			events = context.getBean(App.class).events;
			assertThat(namesOf(events, BusRunnerStartedEvent.class)).containsExactlyInAnyOrder("resquebus-driver",
					"resquebus-worker", "resquebus-scheduler");
			WorkerRunner worker = context.getBean(WorkerRunner.class);
			worker.pause();
			worker.resume();
			assertThat(namesOf(events, BusRunnerPausedEvent.class)).containsExactly("resquebus-worker");
			assertThat(namesOf(events, BusRunnerResumedEvent.class)).containsExactly("resquebus-worker");
			assertThat(namesOf(events, BusRunnerStoppedEvent.class)).isEmpty();
		}
		assertThat(namesOf(events, BusRunnerStoppedEvent.class)).containsExactlyInAnyOrder("resquebus-driver",
				"resquebus-worker", "resquebus-scheduler");
	}

	private static List<String> namesOf(List<BusRunnerEvent> events, Class<?> type) {
		return events.stream().filter(type::isInstance).map(BusRunnerEvent::getRunnerName).toList();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		final List<BusRunnerEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(BusRunnerEvent event) {
			this.events.add(event);
		}

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		@BusSubscriber("anything")
		void handle() {
		}

	}

}
