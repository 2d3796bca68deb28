package io.resquebus.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.SizeLimit;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.OversizedJobException;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs far bigger than the maximum payload size, a batch of them more than the worker's whole heap:
 * they never reach the JVM. The fetch script moves each to the failed list with its head and size;
 * the worker (a JVM of its own with a small heap) keeps running and handles the next small job.
 */
class OversizedJobTests {

	private static final int HEAP_MB = 32;

	private static final int BIG_JOBS = 10;

	private static final int BIG_JOB_BYTES = 4 * 1024 * 1024;

	private static final long MAX_PAYLOAD = 256 * 1024;

	@RegisterExtension
	final TestBus bus = new TestBus();

	@TempDir
	Path tmp;

	@Test
	void jobsOverTheLimitGoToTheFailedListInsideRedisAndTheWorkerGoesOn() throws Exception {
		BusKeys keys = this.bus.keys();
		String padding = "x".repeat(BIG_JOB_BYTES);
		long jobSize = BusRedis.bytes(FaultJobs.riderJob("big-0", padding)).length;
		for (int i = 0; i < BIG_JOBS; i++) {
			this.bus.template().opsForList().rightPush(keys.queue(FaultJobs.QUEUE), FaultJobs.riderJob("big-" + i, padding));
		}
		this.bus.template().opsForList().rightPush(keys.queue(FaultJobs.QUEUE), FaultJobs.riderJob("small"));
		String handledKey = FaultJobs.handledKey(this.bus.namespace());
		Path log = this.tmp.resolve("worker.log");
		Process child = FaultWorkerMain.start(log, HEAP_MB, this.bus.namespace(), Integer.toString(BIG_JOBS), "2000",
				"0", Long.toString(MAX_PAYLOAD));
		try {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
				FaultWorkerMain.requireAlive(child, log);
				return this.bus.template().opsForHash().hasKey(handledKey, "small");
			});
			this.bus.template().opsForList().rightPush(keys.queue(FaultJobs.QUEUE), FaultJobs.riderJob("later"));
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
				FaultWorkerMain.requireAlive(child, log);
				return this.bus.template().opsForHash().hasKey(handledKey, "later");
			});
			List<String> failed = this.bus.list(keys.failed());
			long failedBytes = failed.stream().mapToLong((entry) -> BusRedis.bytes(entry).length).sum();
			long inflight = this.bus.template().keys("{" + this.bus.namespace() + ":queue:*}:inflight:*").size();
			System.out.printf("FAULT oversized jobs: heap=%dMB jobs=%dx%dMB limit=%dKB failed=%d failedListBytes=%d "
					+ "inflightLists=%d workerAlive=%b handled=%s%n", HEAP_MB, BIG_JOBS, BIG_JOB_BYTES >> 20,
					MAX_PAYLOAD >> 10, failed.size(), failedBytes, inflight, child.isAlive(),
					this.bus.hash(handledKey).keySet());
			assertThat(child.isAlive()).isTrue();
			assertThat(this.bus.hash(handledKey)).containsOnlyKeys("small", "later");
			assertThat(failed).hasSize(BIG_JOBS);
			WireCodec codec = new WireCodec();
			for (String entry : failed) {
				FailureEntry parsed = codec.parseFailure(entry);
				assertThat(parsed.exception()).isEqualTo(OversizedJobException.class.getName());
				assertThat(parsed.error()).startsWith("Job is " + jobSize + " bytes, over the maximum payload size of " + MAX_PAYLOAD + " bytes");
				assertThat(parsed.payload()).hasSize(SizeLimit.KEPT_BYTES).startsWith("{\"class\":\"QueueBus::Worker\"");
				assertThat(parsed.worker()).startsWith("java@fault-child:" + child.pid() + "-");
			}
			assertThat(failedBytes).as("no reader of the failed list loads a big job").isLessThan(BIG_JOBS * 2048L);
			assertThat(this.bus.get(keys.statFailed())).isEqualTo(Integer.toString(BIG_JOBS));
			assertThat(this.bus.list(keys.queue(FaultJobs.QUEUE))).isEmpty();
			assertThat(inflight).isZero();
		}
		finally {
			child.destroyForcibly();
			child.waitFor(20, TimeUnit.SECONDS);
		}
	}

}
