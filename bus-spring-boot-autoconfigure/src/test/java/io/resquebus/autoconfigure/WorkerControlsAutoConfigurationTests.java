package io.resquebus.autoconfigure;

import java.util.UUID;

import io.resquebus.autoconfigure.embedded.EmbeddedRedisAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusSchedulerAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusVirtualThreadsAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.driver.DriverRunner;
import io.resquebus.embedded.TestRedis;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker controls set by properties: throttle, queue lists, virtual threads.
 */
class WorkerControlsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EmbeddedRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
				ResqueBusAutoConfiguration.class, BusVirtualThreadsAutoConfiguration.class,
				BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class,
				BusSchedulerAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-" + UUID.randomUUID().toString().substring(0, 8), "resquebus.app-key=app_a",
				"resquebus.driver.block-timeout=100ms", "resquebus.worker.block-timeout=100ms");

	@Test
	void throttlesTheWorkerOnlyWhenARateIsSet() {
		this.contextRunner.run((context) -> assertThat(context.getBean(WorkerRunner.class).getThrottle()).isNull());
		this.contextRunner.withPropertyValues("resquebus.worker.queue-rates.app_a_default=2")
			.run((context) -> assertThat(context.getBean(WorkerRunner.class).getThrottle()).isNotNull());
		this.contextRunner.withPropertyValues("resquebus.worker.jobs-per-second=50")
			.run((context) -> assertThat(context.getBean(WorkerRunner.class).getThrottle()).isNotNull());
	}

	@Test
	void bindsAStarQueueList() {
		this.contextRunner.withPropertyValues("resquebus.worker.queues=app_a_critical,*")
			.run((context) -> assertThat(context.getBean(ResqueBusProperties.class).getWorker().getQueues())
				.containsExactly("app_a_critical", "*"));
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void keepsPlatformThreadsBeforeJava21EvenWhenVirtualThreadsAreEnabled() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(WorkerRunner.class).getThreadFactory()).isNull();
			assertThat(context.getBean(DriverRunner.class).getThreadFactory()).isNull();
		});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void runsConsumersOnVirtualThreadsWhenEnabled() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(context.getBean(WorkerRunner.class).getThreadFactory()).isNotNull();
			assertThat(context.getBean(DriverRunner.class).getThreadFactory()).isNotNull();
		});
		this.contextRunner
			.run((context) -> assertThat(context.getBean(WorkerRunner.class).getThreadFactory()).isNull());
	}

}
