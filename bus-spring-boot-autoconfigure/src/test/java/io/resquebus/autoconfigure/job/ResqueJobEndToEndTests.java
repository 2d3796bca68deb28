package io.resquebus.autoconfigure.job;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.annotation.Retry;
import io.resquebus.embedded.TestRedis;
import io.resquebus.hook.BusErrorHandler;
import io.resquebus.hook.BusHandlerInterceptor;
import io.resquebus.job.JobOperations;
import io.resquebus.job.ResqueClass;
import io.resquebus.job.ResqueJob;
import io.resquebus.job.ResqueJobConfigurer;
import io.resquebus.job.ResqueJobHook;
import io.resquebus.job.ResqueTemplate;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.PlainJob;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plain Resque jobs in a Spring Boot app, over a real Redis: each handler form (positional
 * {@code @ResqueJob} parameters, a POJO, a {@code @ResqueClass} record, a raw {@link PlainJob}
 * catch-all, a {@link ResqueJobConfigurer}), the auto-configured {@link JobOperations}, and the
 * bus's interceptors, Resque hooks and error handlers around a plain job, in that order.
 */
@SpringBootTest(classes = ResqueJobEndToEndTests.App.class)
class ResqueJobEndToEndTests {

	static final String NAMESPACE = "test-jobs-" + UUID.randomUUID().toString().substring(0, 8);

	/** What Ruby's {@code Resque.enqueue(Archive, 42, "masterbrew")} pushed (golden 12). */
	static final String RUBYS_ARCHIVE_JOB = "{\"class\":\"Archive\",\"args\":[42,\"masterbrew\"]}";

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
		registry.add("resquebus.namespace", () -> NAMESPACE);
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
	}

	@Autowired
	JobOperations jobs;

	@Autowired
	WorkerRunner worker;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	List<String> log;

	private final BusKeys keys = new BusKeys(NAMESPACE);

	@Test
	void autoConfiguresTheJobOperationsAndWorksTheHandlersQueuesWithoutAnAppKey() {
		assertThat(this.jobs).isInstanceOf(ResqueTemplate.class);
		assertThat(this.worker.queues()).containsExactlyInAnyOrder("file_serve", "reports", "flaky", "pace_q", "cleanup");
	}

	@Test
	void performsAJobRubysResqueEnqueuedWithItsArgsBoundPositionally() {
		this.redis.opsForSet().add(this.keys.queues(), "file_serve");
		this.redis.opsForList().rightPush(this.keys.queue("file_serve"), RUBYS_ARCHIVE_JOB);
		awaitLogged("archive 42 masterbrew");
	}

	@Test
	void performsWhatJobOperationsEnqueuesInRubysBytes() throws InterruptedException {
		this.worker.pause();
		try {
			// a fetch already blocking when paused ends within the block timeout (100ms)
			Thread.sleep(500);
			this.jobs.enqueue("file_serve", "Archive", 7, "main");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.jobs.size("file_serve") == 1);
			assertThat(this.redis.opsForList().index(this.keys.queue("file_serve"), 0))
				.isEqualTo("{\"class\":\"Archive\",\"args\":[7,\"main\"]}");
		}
		finally {
			this.worker.resume();
		}
		awaitLogged("archive 7 main");
	}

	@Test
	void bindsPojoArgumentsAndATypedRecordJob() {
		this.jobs.enqueue("file_serve", "Upload", new Upload("a.txt", 3), List.of(1, 2));
		this.jobs.enqueue(new Report(2024, "monthly"));
		awaitLogged("upload a.txt 3 [1, 2]", "report 2024 monthly");
	}

	@Test
	void aCatchAllHandlerTakesEveryOtherJobOfItsQueueRaw() {
		this.jobs.enqueue("pace_q", "MyJob", java.util.Map.of("n", 1));
		awaitLogged("pace MyJob [{n=1}]");
	}

	@Test
	void aConfigurerRegistersHandlersInCode() {
		this.jobs.enqueue("cleanup", "Cleanup", "tmp");
		awaitLogged("cleanup tmp");
	}

	@Test
	void interceptorsHooksAndErrorHandlersRunAroundAFailingPlainJobInOrder() {
		this.jobs.enqueue("file_serve", "Archive", -1, "broken");
		awaitLogged("error handler Archive: no such repo -1");
		List<String> around = this.log.stream()
			.filter((entry) -> entry.contains("broken") || entry.contains("no such repo"))
			.toList();
		assertThat(around).containsExactly("interceptor before Archive [-1, broken]", "hook before [-1, broken]",
				"hook around [-1, broken]", "archive -1 broken", "hook on failure: no such repo -1",
				"interceptor on error: no such repo -1", "error handler Archive: no such repo -1");
		List<String> failed = this.redis.opsForList().range(this.keys.failed(), 0, -1);
		assertThat(failed).anySatisfy((entry) -> assertThat(entry)
			.contains("\"payload\":{\"class\":\"Archive\",\"args\":[-1,\"broken\"]}", "no such repo -1"));
	}

	@Test
	void aHandlerWithRetryRunsAFailedJobAgainAndDeletesItsResqueRetryCounterWhenItSucceeds() {
		this.jobs.enqueue("flaky", "Flaky", "once");
		awaitLogged("flaky try 1", "flaky try 2");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !Boolean.TRUE.equals(this.redis.hasKey(this.keys.retryCounter("Flaky", List.of("once")))));
		assertThat(this.redis.opsForList().range(this.keys.failed(), 0, -1)).noneMatch((entry) -> entry.contains("Flaky"));
	}

	private void awaitLogged(String... entries) {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(this.log).contains(entries));
	}

	record Upload(String name, int size) {
	}

	@ResqueClass(value = "Reports::Monthly", queue = "reports")
	record Report(int year, String kind) {
	}

	static class Handlers {

		private final List<String> log;

		Handlers(List<String> log) {
			this.log = log;
		}

		@ResqueJob(value = "Archive", queue = "file_serve")
		void archive(long repoId, String branch) {
			this.log.add("archive " + repoId + " " + branch);
			if (repoId < 0) {
				throw new IllegalStateException("no such repo " + repoId);
			}
		}

		@ResqueJob("Upload")
		void upload(Upload upload, List<Integer> ids) {
			this.log.add("upload " + upload.name() + " " + upload.size() + " " + ids);
		}

		@ResqueJob(value = "Reports::Monthly", queue = "reports")
		void report(Report report) {
			this.log.add("report " + report.year() + " " + report.kind());
		}

		private final java.util.concurrent.atomic.AtomicInteger flakyRuns = new java.util.concurrent.atomic.AtomicInteger();

		@ResqueJob(value = "Flaky", queue = "flaky", retry = @Retry(attempts = 2))
		void flaky(String arg) {
			int run = this.flakyRuns.incrementAndGet();
			this.log.add("flaky try " + run);
			if (run == 1) {
				throw new IllegalStateException("first run of " + arg + " fails");
			}
		}

		@ResqueJob(queue = "pace_q")
		void everything(PlainJob job) {
			this.log.add("pace " + job.className() + " " + job.args());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		List<String> log() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		Handlers handlers(List<String> log) {
			return new Handlers(log);
		}

		@Bean
		ResqueJobConfigurer cleanup(List<String> log) {
			return (jobs) -> jobs.handle("Cleanup", "cleanup", (job) -> log.add("cleanup " + job.arg(0)));
		}

		@Bean
		@Order(1)
		BusHandlerInterceptor recordingInterceptor(List<String> log) {
			return new BusHandlerInterceptor() {
				@Override
				public boolean beforeHandle(BusEvent event, String subscriptionKey) {
					log.add("interceptor before " + subscriptionKey + " " + event.get("args"));
					return true;
				}

				@Override
				public void onError(BusEvent event, String subscriptionKey, Throwable error) {
					log.add("interceptor on error: " + error.getMessage());
				}
			};
		}

		@Bean
		ResqueJobHook recordingHook(List<String> log) {
			return new ResqueJobHook() {
				@Override
				public boolean appliesTo(String jobClass) {
					return jobClass.equals("Archive");
				}

				@Override
				public boolean beforePerform(PlainJob job) {
					log.add("hook before " + job.args());
					return true;
				}

				@Override
				public void aroundPerform(PlainJob job, Perform perform) throws Exception {
					log.add("hook around " + job.args());
					perform.proceed();
				}

				@Override
				public void onFailure(PlainJob job, Throwable error) {
					log.add("hook on failure: " + error.getMessage());
				}
			};
		}

		@Bean
		BusErrorHandler recordingErrorHandler(List<String> log) {
			return (job, error) -> log.add("error handler " + (job.rawJob().contains("Archive") ? "Archive" : "?") + ": "
					+ error.getMessage());
		}

	}

}
