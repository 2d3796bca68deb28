package io.resquebus.test.autoconfigure;

import java.util.Map;

import io.resquebus.driver.DriverRunner;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.SubscriptionLifecycle;
import io.resquebus.test.RecordingBusOperations;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.resquebus.test.BusAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureRecordingBus} in an app with no Redis configured and the embedded Redis on
 * the classpath: the bus records, nothing of it starts, and handlers run when the test says so.
 */
@SpringBootTest(classes = AutoConfigureRecordingBusTests.App.class, properties = "resquebus.app-key=recording_app")
@AutoConfigureRecordingBus
class AutoConfigureRecordingBusTests {

	@Autowired
	BusOperations bus;

	@Autowired
	RecordingBusOperations recording;

	@Autowired
	Handled handled;

	@Autowired
	ApplicationContext context;

	@AfterEach
	void clear() {
		this.recording.clear();
	}

	@Test
	void replacesTheBusWithTheRecordingOne() {
		assertThat(this.bus).isSameAs(this.recording);
		assertThat(this.context.getBeansOfType(BusTemplate.class)).isEmpty();
		this.bus.publish("user_created", Map.of("id", 42));
		assertThat(this.recording).published("user_created").withAttribute("id", 42);
	}

	@Test
	void startsNoRunnerNoRegistrationAndNoEmbeddedRedis() {
		assertThat(this.context.getBeansOfType(DriverRunner.class)).isEmpty();
		assertThat(this.context.getBeansOfType(WorkerRunner.class)).isEmpty();
		assertThat(this.context.getBeansOfType(SchedulerRunner.class)).isEmpty();
		assertThat(this.context.getBeansOfType(SubscriptionLifecycle.class)).isEmpty();
		assertThat(this.context.getBeansOfType(EmbeddedRedisServer.class)).isEmpty();
	}

	@Test
	void deliversRecordedEventsToTheAppsHandlersWhenAsked() {
		assertThat(this.context.getBean(AppSubscriptions.class).all()).hasSize(2);
		String busId = this.bus.publish("user_created", Map.of("id", 42));
		assertThat(this.handled.entries()).doesNotContain("userCreated:" + busId);
		this.recording.deliverAll();
		assertThat(this.handled.entries()).contains("userCreated:" + busId);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		Handled handled() {
			return new Handled();
		}

	}

}
