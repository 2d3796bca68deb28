package io.resquebus.fault;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.MalformedJobException;
import io.resquebus.wire.WireCodec;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job whose bytes are not UTF-8 ({@code \xff\xfe\xc3(} inside a JSON string): Java could only see
 * U+FFFD there, so it goes to the failed list with the reason instead of running on other data, and
 * it leaves the in-flight list (removed by its exact bytes), so nothing runs it again after a
 * restart or recovery. A job holding a genuine U+FFFD runs as usual.
 */
class InvalidUtf8Tests {

	private static final byte[] INVALID = { (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '(' };

	private static final String MARK = "@invalid@";

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final WireCodec codec = new WireCodec();

	private final List<String> handled = new CopyOnWriteArrayList<>();

	@Test
	void workerFailsAJobThatIsNotUtf8WithItsReasonAndLeavesNothingInFlight() {
		BusKeys keys = this.bus.keys();
		ConsumerRegistry registry = new ConsumerRegistry(this.bus.redis(), this.bus.settings(), Duration.ofSeconds(30));
		WorkerRunner worker = FaultJobs.worker(this.bus, (event) -> this.handled.add(event.id()));
		worker.setConsumerRegistry(registry);
		pushBytes(keys.queue(FaultJobs.QUEUE), withInvalidBytes(FaultJobs.riderJob("bad", MARK)));
		this.bus.template().opsForList().rightPushAll(keys.queue(FaultJobs.QUEUE),
				FaultJobs.riderJob("replacement-char", "\uFFFD"), FaultJobs.riderJob("good"));
		worker.start();
		long inflightWhileRunning;
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> this.handled.contains("good"));
			inflightWhileRunning = FaultJobs.inflightJobs(this.bus);
		}
		finally {
			worker.stop();
		}
		List<String> failed = this.bus.list(keys.failed());
		System.out.printf("FAULT invalid utf-8 (worker): handled=%s failed=%d inflightWhileRunning=%d "
				+ "inflightAfterStop=%d consumersAfterStop=%d%n", this.handled, failed.size(), inflightWhileRunning,
				FaultJobs.inflightJobs(this.bus), this.bus.members(keys.consumers()).size());
		assertThat(this.handled).containsExactly("replacement-char", "good");
		assertInvalidUtf8Failure(failed, FaultJobs.QUEUE);
		assertThat(inflightWhileRunning).isZero();
		assertThat(FaultJobs.inflightJobs(this.bus)).isZero();
		assertThat(this.bus.members(keys.consumers())).isEmpty();
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("1");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("3");
	}

	@Test
	void driverFailsAnIncomingJobThatIsNotUtf8InsteadOfFanningItOut() {
		BusKeys keys = this.bus.keys();
		BusSettings settings = this.bus.settings();
		AppSubscriptions subscriptions = FaultJobs.subscriptions((event) -> {
		});
		SubscriptionRegistry registry = new SubscriptionRegistry(this.bus.redis(), keys, settings.codec(),
				Duration.ZERO, Clock.systemUTC());
		registry.subscribe(FaultJobs.APP, subscriptions.entries());
		pushBytes(keys.queue(BusKeys.INCOMING_QUEUE), withInvalidBytes(FaultJobs.driverJob("bad", MARK)));
		this.bus.template()
			.opsForList()
			.rightPush(keys.queue(BusKeys.INCOMING_QUEUE), FaultJobs.driverJob("good", "x"));
		DriverRunner driver = new DriverRunner(this.bus.redis(), settings, registry, 10, Duration.ofMillis(100));
		driver.start();
		long inflightWhileRunning;
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> !this.bus.list(keys.queue(FaultJobs.QUEUE)).isEmpty()
					&& !this.bus.list(keys.failed()).isEmpty());
			inflightWhileRunning = FaultJobs.inflightJobs(this.bus);
		}
		finally {
			driver.stop();
		}
		List<String> fannedOut = this.bus.list(keys.queue(FaultJobs.QUEUE));
		System.out.printf("FAULT invalid utf-8 (driver): fannedOut=%d failed=%d inflightWhileRunning=%d%n",
				fannedOut.size(), this.bus.list(keys.failed()).size(), inflightWhileRunning);
		assertThat(fannedOut).extracting(FaultJobs::busId).containsExactly("good");
		assertInvalidUtf8Failure(this.bus.list(keys.failed()), BusKeys.INCOMING_QUEUE);
		assertThat(inflightWhileRunning).isZero();
		assertThat(FaultJobs.inflightJobs(this.bus)).isZero();
	}

	private void assertInvalidUtf8Failure(List<String> failed, String queue) {
		assertThat(failed).hasSize(1);
		FailureEntry entry = this.codec.parseFailure(failed.get(0));
		assertThat(entry.exception()).isEqualTo(MalformedJobException.class.getName());
		assertThat(entry.error()).startsWith("Job is not valid UTF-8: byte ").endsWith(" starts \\xff\\xfe\\xc3\\x28");
		assertThat(entry.queue()).isEqualTo(queue);
		assertThat(entry.payload()).contains("\uFFFD");
	}

	/** The job's UTF-8 bytes with {@link #MARK} replaced by bytes that are not UTF-8. */
	private static byte[] withInvalidBytes(String job) {
		int at = job.indexOf(MARK);
		byte[] head = BusRedis.bytes(job.substring(0, at));
		byte[] tail = BusRedis.bytes(job.substring(at + MARK.length()));
		byte[] bytes = new byte[head.length + INVALID.length + tail.length];
		System.arraycopy(head, 0, bytes, 0, head.length);
		System.arraycopy(INVALID, 0, bytes, head.length, INVALID.length);
		System.arraycopy(tail, 0, bytes, head.length + INVALID.length, tail.length);
		return bytes;
	}

	private void pushBytes(String key, byte[] job) {
		this.bus.redis().execute((connection) -> connection.listCommands().rPush(BusRedis.bytes(key), job));
	}

}
