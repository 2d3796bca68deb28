package io.resquebus.autoconfigure.actuate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.resquebus.BusSettings;
import io.resquebus.embedded.TestRedis;
import io.resquebus.failure.FailedJob;
import io.resquebus.failure.FailedJobs;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.wire.FailureEntry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code resquebus} endpoint on a real Redis: its reads, paged, and its actions, which never
 * touch a failed job other than the one named.
 */
class BusEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(BusHealthContributorAutoConfigurationTests.BUS)
		.withConfiguration(AutoConfigurations.of(BusEndpointAutoConfiguration.class))
		.withUserConfiguration(BusHealthContributorAutoConfigurationTests.Subscriber.class)
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-endpoint-" + UUID.randomUUID().toString().substring(0, 8),
				"resquebus.app-key=app_h", "resquebus.driver.block-timeout=100ms",
				"resquebus.worker.block-timeout=100ms", "management.endpoints.web.exposure.include=resquebus",
				// no minute heartbeat: it lands on bus_incoming and in the stats these tests count
				"resquebus.scheduler.heartbeat=false");

	@Test
	void isOnlyThereWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).hasSingleBean(BusTemplate.class).doesNotHaveBean(BusEndpoint.class));
	}

	@Test
	void startsWithoutActuatorOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(BusTemplate.class)
				.doesNotHaveBean(BusEndpoint.class));
	}

	@Test
	void showsRunnersQueuesSubscriptionsScheduleAndFailures() {
		this.contextRunner.run((context) -> {
			addFailures(context, 3);
			context.getBean(BusTemplate.class).publish("thing_happened", Map.of("n", 1));
			Map<String, Object> overview = (Map<String, Object>) context.getBean(BusEndpoint.class).overview(2).getBody();

			assertThat(overview).containsEntry("app", "app_h")
				.containsEntry("runners", Map.of("driver", "running", "worker", "running", "scheduler", "running"));
			Map<?, ?> subscriptions = (Map<?, ?>) overview.get("subscriptions");
			assertThat(subscriptions.get("total")).isEqualTo(1L);
			assertThat((List<?>) subscriptions.get("items")).singleElement()
				.isEqualTo(Map.of("app", "app_h", "key", "Handlers.onThing", "queue", "app_h_default", "class",
						"::QueueBus::Rider", "matcher", Map.of("bus_event_type", "thing_happened")));
			Map<?, ?> failed = (Map<?, ?>) overview.get("failed");
			assertThat(failed.get("total")).isEqualTo(3L);
			assertThat(field(failed, "error")).containsExactly("boom 2", "boom 1");
			Map<?, ?> queues = (Map<?, ?>) overview.get("queues");
			assertThat(field(queues, "name")).contains("bus_incoming");
			assertThat(overview.get("workers")).isInstanceOf(Map.class);
			assertThat(overview.get("scheduled")).isNotNull();
		});
	}

	@Test
	void pagesFailuresNewestFirst() {
		this.contextRunner.run((context) -> {
			addFailures(context, 5);
			BusEndpoint endpoint = context.getBean(BusEndpoint.class);
			Map<?, ?> page = (Map<?, ?>) endpoint.section("failed", 2, 2, null).getBody();
			assertThat(field(page, "index")).containsExactly(2L, 1L);
			assertThat(endpoint.section("nothing", null, null, null).getStatus())
				.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		});
	}

	@Test
	void listsABigFailedEntryCutAndSaysSoAndGivesItWholeOnlyWithinTheSizeAskedFor() {
		this.contextRunner.run((context) -> {
			addFailures(context, 1);
			BusSettings settings = context.getBean(BusSettings.class);
			String bigPayload = settings.codec().job(Map.of("bus_event_type", "thing_happened", "blob", "z".repeat(3_000_000)));
			String big = settings.codec()
				.failure(new FailureEntry("2026/12/07 10:00:00 UTC", bigPayload, "RuntimeException", "too big",
						List.of("at Handlers.onThing"), "host:1:app_h_default", "app_h_default"));
			context.getBean(BusRedis.class)
				.execute((connection) -> connection.listCommands()
					.rPush(BusRedis.bytes(settings.keys().failed()), BusRedis.bytes(big)));
			BusEndpoint endpoint = context.getBean(BusEndpoint.class);

			Map<?, ?> page = (Map<?, ?>) endpoint.section("failed", 0, 200, null).getBody();
			Map<?, ?> overview = (Map<?, ?>) ((Map<?, ?>) endpoint.overview(200).getBody()).get("failed");

			for (Map<?, ?> listing : List.of(page, overview)) {
				assertThat(field(listing, "truncated")).containsExactly(true, false);
				assertThat(field(listing, "bytes").get(0)).isEqualTo((long) big.length());
				assertThat((String) field(listing, "payload").get(0)).hasSize(BusEndpoint.PREVIEW_BYTES)
					.isEqualTo(bigPayload.substring(0, BusEndpoint.PREVIEW_BYTES));
				assertThat(field(listing, "error")).containsExactly("too big", "boom 0");
			}
			WebEndpointResponse<Object> refused = endpoint.item("failed", "1", null);
			assertThat(refused.getStatus()).isEqualTo(413);
			assertThat((Map<Object, Object>) refused.getBody()).containsEntry("bytes", (long) big.length())
				.containsEntry("digest", field(page, "digest").get(0));
			WebEndpointResponse<Object> whole = endpoint.item("failed", "1", 4_000_000L);
			assertThat(whole.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
			assertThat((Map<Object, Object>) whole.getBody()).containsEntry("payload", bigPayload).containsEntry("truncated", false);
			assertThat(endpoint.item("failed", "7", null).getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
			assertThat(endpoint.item("failed", "x", null).getStatus()).isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
			System.out.printf("FAULT big failed entry in the endpoint: entryBytes=%d listedPayloadChars=%d "
					+ "(failed?size=200 and overview) itemWithoutMaxBytes=%d itemWithinMaxBytes=%d%n", big.length(),
					((String) field(page, "payload").get(0)).length(), refused.getStatus(), whole.getStatus());
		});
	}

	@Test
	void neverGivesAFailedEntryWholeBeyondItsCapWhateverMaxBytesAsks() {
		this.contextRunner.run((context) -> {
			BusSettings settings = context.getBean(BusSettings.class);
			String payload = settings.codec()
				.job(Map.of("bus_event_type", "thing_happened", "blob", "z".repeat((int) BusEndpoint.MAX_ENTRY_BYTES)));
			String huge = settings.codec()
				.failure(new FailureEntry("2026/12/07 10:00:00 UTC", payload, "RuntimeException", "too big",
						List.of("at Handlers.onThing"), "host:1:app_h_default", "app_h_default"));
			context.getBean(BusRedis.class)
				.execute((connection) -> connection.listCommands()
					.rPush(BusRedis.bytes(settings.keys().failed()), BusRedis.bytes(huge)));

			WebEndpointResponse<Object> refused = context.getBean(BusEndpoint.class)
				.item("failed", "0", 4 * BusEndpoint.MAX_ENTRY_BYTES);

			assertThat(refused.getStatus()).isEqualTo(413);
			assertThat((Map<Object, Object>) refused.getBody()).containsEntry("bytes", (long) huge.length())
				.hasEntrySatisfying("error", (error) -> assertThat((String) error)
					.contains("at most " + BusEndpoint.MAX_ENTRY_BYTES + " through the endpoint"));
		});
	}

	@Test
	void removesTheNamedFailedJobAndRefusesOnceTheListHasShifted() {
		this.contextRunner.run((context) -> {
			addFailures(context, 3);
			FailedJobs failedJobs = context.getBean(FailedJobs.class);
			FailedJob second = failedJobs.list(1, 1).get(0);
			BusEndpoint endpoint = context.getBean(BusEndpoint.class);
			failedJobs.remove(failedJobs.list(0, 1).get(0));

			WebEndpointResponse<Object> stale = endpoint.act("failed", "remove", 1L, second.digest(), null);

			assertThat(stale.getStatus()).isEqualTo(409);
			assertThat(failedJobs.count()).isEqualTo(2);
			WebEndpointResponse<Object> done = endpoint.act("failed", "remove", 0L, second.digest(), null);
			assertThat(done.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
			assertThat(failedJobs.list(0, 10)).extracting((job) -> job.entry().error()).containsExactly("boom 2");
			assertThat(endpoint.act("failed", "remove", null, null, null).getStatus())
				.isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
		});
	}

	@Test
	void retriesAFailedJobOntoItsQueue() {
		this.contextRunner.withPropertyValues("resquebus.worker.enabled=false").run((context) -> {
			addFailures(context, 1);
			FailedJob job = context.getBean(FailedJobs.class).list(0, 1).get(0);
			WebEndpointResponse<Object> response = context.getBean(BusEndpoint.class)
				.act("failed", "retry", 0L, job.digest(), null);
			assertThat(response.getStatus()).isEqualTo(WebEndpointResponse.STATUS_OK);
			assertThat(context.getBean(FailedJobs.class).count()).isZero();
			BusSettings settings = context.getBean(BusSettings.class);
			List<byte[]> queued = context.getBean(BusRedis.class)
				.execute((connection) -> connection.listCommands()
					.lRange(BusRedis.bytes(settings.keys().queue("app_h_default")), 0, -1));
			assertThat(queued).extracting(BusRedis::string).containsExactly(job.entry().payload());
		});
	}

	@Test
	void stopsAndStartsARunnerByName() {
		this.contextRunner.run((context) -> {
			BusEndpoint endpoint = context.getBean(BusEndpoint.class);
			SchedulerRunner scheduler = context.getBean(SchedulerRunner.class);
			assertThat(endpoint.act("scheduler", "stop", null, null, null).getBody())
				.isEqualTo(Map.of("runner", "scheduler", "state", "stopped"));
			assertThat(scheduler.isRunning()).isFalse();
			endpoint.act("scheduler", "start", null, null, null);
			assertThat(scheduler.isRunning()).isTrue();
			assertThat(endpoint.act("nobody", "stop", null, null, null).getStatus())
				.isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
			assertThat(endpoint.act("scheduler", "dance", null, null, null).getStatus())
				.isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
		});
	}

	@Test
	void pausesAndResumesARunnerOptionallyForAWhile() {
		this.contextRunner.run((context) -> {
			BusEndpoint endpoint = context.getBean(BusEndpoint.class);
			SchedulerRunner scheduler = context.getBean(SchedulerRunner.class);
			assertThat(endpoint.act("scheduler", "pause", null, null, null).getBody())
				.isEqualTo(Map.of("runner", "scheduler", "state", "paused"));
			assertThat(scheduler.isPaused()).isTrue();
			endpoint.act("scheduler", "resume", null, null, null);
			assertThat(scheduler.isPaused()).isFalse();
			endpoint.act("scheduler", "pause", null, null, "1h");
			assertThat(scheduler.isPaused()).isTrue();
			endpoint.act("scheduler", "resume", null, null, null);
			assertThat(scheduler.isPaused()).isFalse();
		});
	}

	/** One field of each item of a page. */
	static List<Object> field(Object page, String name) {
		return ((List<?>) ((Map<?, ?>) page).get("items")).stream()
			.map((item) -> (Object) ((Map<?, ?>) item).get(name))
			.toList();
	}

	/** Failed entries "boom 0" (oldest) to "boom n-1", each with a job for app_h_default. */
	static void addFailures(AssertableApplicationContext context, int count) {
		BusSettings settings = context.getBean(BusSettings.class);
		BusRedis redis = context.getBean(BusRedis.class);
		for (int i = 0; i < count; i++) {
			String payload = settings.codec().job(Map.of("bus_event_type", "thing_happened", "n", i));
			String entry = settings.codec()
				.failure(new FailureEntry("2026/11/23 10:00:0" + i + " UTC", payload, "RuntimeException", "boom " + i,
						List.of("at Handlers.onThing"), "host:1:app_h_default", "app_h_default"));
			redis.execute((connection) -> connection.listCommands()
				.rPush(BusRedis.bytes(settings.keys().failed()), BusRedis.bytes(entry)));
		}
	}

}
