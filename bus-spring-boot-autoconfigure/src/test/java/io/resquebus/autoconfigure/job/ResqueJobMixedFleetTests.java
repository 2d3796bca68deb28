package io.resquebus.autoconfigure.job;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.embedded.TestRedis;
import io.resquebus.job.JobOperations;
import io.resquebus.job.ResqueJob;
import io.resquebus.job.ResqueJobs;
import io.resquebus.job.UnknownJobClassException;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code resquebus.jobs.unknown-jobs} in a Spring Boot app: a job on a queue the app works whose
 * class only Ruby handles goes to the failed list by default (Resque's way), and with
 * {@code leave} stays on its queue, never run nor failed. The app works only its handlers' queues.
 */
class ResqueJobMixedFleetTests {

	private static final String RUBY_ONLY = "{\"class\":\"RubyOnly::Job\",\"args\":[1,\"x\"]}";

	private final String namespace = "test-fleet-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class,
				ResqueJobAutoConfiguration.class, BusWorkerAutoConfiguration.class))
		.withBean(ArchiveJob.class)
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(), "resquebus.namespace=" + this.namespace,
				"resquebus.worker.block-timeout=100ms");

	@Test
	void byDefaultAJobNoHandlerTakesGoesToTheFailedListNamingItsClass() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(ResqueJobs.class).unknownJobs()).isEqualTo(ResqueJobs.UnknownJobs.FAIL);
			assertThat(context.getBean(WorkerRunner.class).queues()).containsExactly("file_serve");
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			BusKeys keys = new BusKeys(this.namespace);
			redis.opsForList().rightPush(keys.queue("file_serve"), RUBY_ONLY);
			await().atMost(Duration.ofSeconds(20)).until(() -> redis.opsForList().size(keys.failed()) == 1);
			assertThat(redis.opsForList().index(keys.failed(), 0)).contains("\"payload\":" + RUBY_ONLY,
					"\"exception\":\"" + UnknownJobClassException.class.getName() + "\"",
					"no handler for job class 'RubyOnly::Job'");
			assertThat(redis.opsForList().size(keys.queue("file_serve"))).isZero();
		});
	}

	@Test
	void withLeaveAJobNoHandlerTakesStaysOnItsQueueForARubyWorker() {
		this.contextRunner.withPropertyValues("resquebus.jobs.unknown-jobs=leave").run((context) -> {
			assertThat(context.getBean(ResqueJobs.class).unknownJobs()).isEqualTo(ResqueJobs.UnknownJobs.LEAVE);
			WorkerRunner worker = context.getBean(WorkerRunner.class);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			BusKeys keys = new BusKeys(this.namespace);
			context.getBean(JobOperations.class).enqueue("file_serve", "RubyOnly::Job", 1, "x");
			await().atMost(Duration.ofSeconds(20)).until(() -> worker.leftForOthersCount() >= 2);
			worker.stop();
			assertThat(redis.opsForList().range(keys.queue("file_serve"), 0, -1)).isEqualTo(List.of(RUBY_ONLY));
			assertThat(redis.opsForList().size(keys.failed())).isZero();
			assertThat(redis.hasKey(keys.statFailed())).isFalse();
		});
	}

	static class ArchiveJob {

		@ResqueJob(value = "Archive", queue = "file_serve")
		void archive(long repoId, String branch) {
		}

	}

}
