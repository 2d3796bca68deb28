package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import io.resquebus.autoconfigure.embedded.EmbeddedRedisAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWakeUpAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.driver.DriverRunner;
import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.QueueWakeUp;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The queue wake-up: one per bus on a standalone Redis, armed on its own connection once a
 * consumer with a size limit (the default) starts, and none
 * with {@code resquebus.wake-up=false}.
 */
class BusWakeUpAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EmbeddedRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
				ResqueBusAutoConfiguration.class, BusWakeUpAutoConfiguration.class, BusDriverAutoConfiguration.class,
				BusWorkerAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-" + UUID.randomUUID().toString().substring(0, 8), "resquebus.app-key=app_a",
				"resquebus.driver.auto-startup=false", "resquebus.worker.auto-startup=false");

	@Test
	void armsTheBusWakeUpWhenASizeCheckedConsumerStarts() {
		this.contextRunner.run((context) -> {
			QueueWakeUp wakeUp = context.getBean(QueueWakeUp.class);
			assertThat(wakeUp.isActive()).isTrue();
			assertThat(wakeUp.arms()).as("not connected before a consumer needs it").isZero();
			context.getBean(DriverRunner.class).start();
			await().atMost(Duration.ofSeconds(20)).until(() -> wakeUp.arms() >= 1);
			assertThat(context).hasSingleBean(DriverRunner.class).hasSingleBean(WorkerRunner.class);
		});
	}

	@Test
	void hasNoWakeUpWhenTurnedOff() {
		this.contextRunner.withPropertyValues("resquebus.wake-up=false").run((context) -> {
			assertThat(context).doesNotHaveBean(QueueWakeUp.class);
			assertThat(context).hasSingleBean(DriverRunner.class).hasSingleBean(WorkerRunner.class);
		});
	}

}
