package io.resquebus.fault;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusAttributes;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.SizeLimit;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.OversizedJobException;
import io.resquebus.wire.WireCodec;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw entries that are not bus jobs land in the failed list with their reason, whole; jobs bigger
 * than the maximum payload size land there from the fetch script with their head and size. The
 * worker or driver goes on with the next job.
 */
class BadInputTests {

	private static final int MAX_PAYLOAD = 1024;

	/** 400 chars but 1200 bytes in UTF-8: only a byte count finds the job too big. */
	private static final String WIDE = "€".repeat(400);

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void workerFailsMalformedAndOversizedJobsWithTheirReasonsAndGoesOn() {
		BusKeys keys = this.bus.keys();
		String oversized = this.codec.job(Map.of(BusAttributes.RIDER_APP_KEY, FaultJobs.APP,
				BusAttributes.RIDER_SUB_KEY, FaultJobs.SUB_KEY, BusAttributes.ID, "too-big", BusAttributes.EVENT_TYPE,
				FaultJobs.EVENT_TYPE, BusAttributes.CLASS_PROXY, JobClasses.RIDER, "text", WIDE));
		assertThat(oversized.length()).isLessThan(MAX_PAYLOAD);
		this.bus.template().opsForList().rightPushAll(keys.queue(FaultJobs.QUEUE), "{not json", "[1,2]",
				"{\"class\":\"Unknown::Job\",\"args\":[\"{}\"]}", "{\"class\":\"QueueBus::Worker\",\"args\":[42]}",
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_id\\\":\\\"no-rider\\\"}\"]}", oversized,
				FaultJobs.riderJob("good"));
		WorkerRunner worker = startWorker();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("good"));
			this.bus.template().opsForList().rightPush(keys.queue(FaultJobs.QUEUE), FaultJobs.riderJob("after"));
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("after"));
			assertThat(worker.isRunning()).isTrue();
		}
		finally {
			worker.stop();
		}
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(6);
		assertOneFailure(failed, "\"payload\":\"{not json\"", "not valid JSON");
		assertOneFailure(failed, "\"payload\":\"[1,2]\"", "Expected a JSON object but got [1, 2]");
		assertOneFailure(failed, "\"payload\":{\"class\":\"Unknown::Job\"", "Unknown job class 'Unknown::Job'");
		assertOneFailure(failed, "\"args\":[42]", "exactly one JSON string");
		assertOneFailure(failed, "no-rider", "no bus_rider_app_key or bus_rider_sub_key");
		assertRefusedInRedis(failed, oversized, FaultJobs.QUEUE);
		assertThat(this.handled).containsExactly("good", "after");
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("6");
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*")).isEmpty();
	}

	@Test
	void driverFailsMalformedAndOversizedIncomingJobsWithTheirReasonsAndGoesOn() {
		BusKeys keys = this.bus.keys();
		BusSettings settings = this.bus.settings();
		AppSubscriptions subscriptions = FaultJobs.subscriptions((event) -> {
		});
		SubscriptionRegistry registry = new SubscriptionRegistry(this.bus.redis(), keys, settings.codec(),
				Duration.ZERO, Clock.systemUTC());
		registry.subscribe(FaultJobs.APP, subscriptions.entries());
		String oversized = FaultJobs.driverJob("too-big", WIDE);
		this.bus.template().opsForList().rightPushAll(keys.queue(BusKeys.INCOMING_QUEUE), "{not json", oversized,
				"{\"class\":\"QueueBus::Unknown\",\"args\":[\"{}\"]}", FaultJobs.driverJob("good", "small"));
		DriverRunner driver = new DriverRunner(this.bus.redis(), settings, registry, 10, Duration.ofMillis(100));
		driver.setMaxPayloadSize(MAX_PAYLOAD);
		driver.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.bus.list(keys.queue(FaultJobs.QUEUE)).size() == 1);
			this.bus.template()
				.opsForList()
				.rightPush(keys.queue(BusKeys.INCOMING_QUEUE), FaultJobs.driverJob("after", "x"));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.bus.list(keys.queue(FaultJobs.QUEUE)).size() == 2);
			assertThat(driver.isRunning()).isTrue();
		}
		finally {
			driver.stop();
		}
		assertThat(this.bus.list(keys.queue(FaultJobs.QUEUE))).extracting(FaultJobs::busId)
			.containsExactly("good", "after");
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(3).allSatisfy((entry) -> assertThat(entry).contains("\"queue\":\"bus_incoming\""));
		assertOneFailure(failed, "\"payload\":\"{not json\"", "not valid JSON");
		assertRefusedInRedis(failed, oversized, BusKeys.INCOMING_QUEUE);
		assertOneFailure(failed, "QueueBus::Unknown", "Unknown job class 'QueueBus::Unknown' on the incoming queue");
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*")).isEmpty();
	}

	@Test
	void anOversizedJobOfAnyBytesLeavesAValidJsonFailureEntry() {
		BusKeys keys = this.bus.keys();
		byte[] head = { '"', '\\', '\n', 1, (byte) 0xff, (byte) 0xe2, (byte) 0x82, (byte) 0xac };
		byte[] job = new byte[2000];
		Arrays.fill(job, (byte) 'x');
		System.arraycopy(head, 0, job, 0, head.length);
		this.bus.redis().execute((connection) -> connection.listCommands()
			.rPush(BusRedis.bytes(keys.queue(FaultJobs.QUEUE)), job, BusRedis.bytes(FaultJobs.riderJob("good"))));
		WorkerRunner worker = startWorker();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("good"));
		}
		finally {
			worker.stop();
		}
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).singleElement().asString().contains("\"payload\":\"\\\"\\\\\\n\\u0001\uFFFD€xxx");
		FailureEntry entry = this.codec.parseFailure(failed.get(0));
		assertThat(entry.payload()).isEqualTo("\"\\\n\u0001\uFFFD€" + "x".repeat(SizeLimit.KEPT_BYTES - head.length));
		assertThat(entry.error()).startsWith("Job is 2000 bytes, over the maximum payload size of 1024 bytes");
		assertThat(this.handled).containsExactly("good");
	}

	private WorkerRunner startWorker() {
		WorkerRunner worker = FaultJobs.worker(this.bus, (event) -> this.handled.add(event.id()));
		worker.setMaxPayloadSize(MAX_PAYLOAD);
		worker.start();
		return worker;
	}

	/**
	 * The fetch script moved the job to the failed list without handing it over: Resque's entry with
	 * the job's size and, as payload, its head cut at {@link SizeLimit#KEPT_BYTES} on a character boundary.
	 */
	private void assertRefusedInRedis(List<String> failed, String job, String queue) {
		int size = BusRedis.bytes(job).length;
		String entry = failed.stream().filter((json) -> json.contains("OversizedJobException")).findFirst().orElseThrow();
		FailureEntry parsed = this.codec.parseFailure(entry);
		assertThat(parsed.exception()).isEqualTo(OversizedJobException.class.getName());
		assertThat(parsed.error()).isEqualTo("Job is " + size + " bytes, over the maximum payload size of "
				+ MAX_PAYLOAD + " bytes; this entry keeps its first " + SizeLimit.KEPT_BYTES + " bytes");
		assertThat(parsed.queue()).isEqualTo(queue);
		assertThat(parsed.backtrace()).isEmpty();
		assertThat(parsed.failedAt()).matches("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
		assertThat(job).startsWith(parsed.payload());
		assertThat(BusRedis.bytes(parsed.payload()).length).isBetween(SizeLimit.KEPT_BYTES - 3, SizeLimit.KEPT_BYTES);
		assertThat(entry).startsWith("{\"failed_at\":").contains("\",\"payload\":\"{\\\"class\\\":");
	}

	private static void assertOneFailure(List<String> failed, String job, String reason) {
		assertThat(failed).filteredOn((entry) -> entry.contains(job)).singleElement().asString().contains(reason);
	}

}
