package io.resquebus.redis;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisChannelHandler;
import io.resquebus.support.DedicatedRedis;
import io.resquebus.support.LogLines;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idle size-checked fetchers woken by a write to their queue from any client: they pause an hour
 * between looks here, so a job taken at all was taken on a wake-up. Also after Redis restarts,
 * without loading a job over the size limit, and never in cluster mode.
 */
class QueueWakeUpTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	final DedicatedRedis redis = new DedicatedRedis();

	@RegisterExtension
	final LogLines lettuceWarnings = new LogLines(RedisChannelHandler.class);

	@Test
	void closesQuietlyAfterSpringStoppedItsConnectionFactoryFirst() {
		QueueWakeUp wakeUp = armedWakeUp();
		// At shutdown Spring stops the factory (a SmartLifecycle), which closes its connections, before it
		// destroys the beans that use it.
		this.redis.factory().stop();
		wakeUp.close();
		assertThat(this.lettuceWarnings.warnings()).isEmpty();
	}

	@Test
	void wakesAnIdleSizeCheckedFetcherOnAPushFromAPlainRedisClient() throws Exception {
		try (QueueWakeUp wakeUp = armedWakeUp()) {
			BusKeys keys = this.redis.settings().keys();
			QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w1", 10, Duration.ofSeconds(5), limit(1000),
					wakeUp).idlePark(HOUR);
			try (Fetching fetching = new Fetching(fetcher)) {
				await().atMost(WAIT).until(() -> fetcher.idleParks() >= 1);
				rpush(keys.queue("q"), "job-1");
				await().atMost(WAIT).until(() -> !fetching.jobs.isEmpty());
				assertThat(fetching.jobs).containsExactly("job-1");
				assertThat(fetcher.wokenParks()).isPositive();
				assertThat(wakeUp.arms()).as("re-armed without a reconnect").isOne();
			}
		}
	}

	@Test
	void acknowledgesWhatRanWithTheFetchOfTheNextWriteToTheQueuesTheLastFetchEmptied() throws Exception {
		try (QueueWakeUp wakeUp = armedWakeUp()) {
			BusKeys keys = this.redis.settings().keys();
			QueueFetcher fetcher = lingering(wakeUp, "w1", 10, Duration.ofMillis(100)); // cut short by the write alone
			List<QueueWakeUp.Signal> signals = wakeUp.signals(List.of(keys.queue("q")));
			await().atMost(WAIT).until(() -> QueueWakeUp.Signal.sum(signals) >= 1); // the wake when it armed
			long seen = QueueWakeUp.Signal.sum(signals);
			rpush(keys.queue("q"), "job-1");
			await().atMost(WAIT).until(() -> QueueWakeUp.Signal.sum(signals) == seen + 1);
			QueueFetcher.Fetched first = this.redis.redis().execute(fetcher::fetch);
			assertThat(first.jobs()).extracting(FetchedJob::raw).containsExactly("job-1");
			// The fetch's own move of job-1 is pushed too: seen before the next fetch, as a batch's work lets it be.
			await().atMost(WAIT).until(() -> QueueWakeUp.Signal.sum(signals) == seen + 2);
			fetcher.ackWithNextFetch(first.jobs(), List.of(), true);
			long scripts = this.redis.scriptCalls();
			AtomicReference<String> processedWhileWaiting = new AtomicReference<>("unknown");
			Thread writer = new Thread(() -> {
				await().atMost(WAIT).until(() -> fetcher.ackLingers() >= 1);
				processedWhileWaiting.set(this.redis.template().opsForValue().get(keys.statProcessed()));
				try {
					rpush(keys.queue("q"), "job-2");
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			writer.start();
			QueueFetcher.Fetched second = this.redis.redis().execute(fetcher::fetch);
			writer.join(WAIT.toMillis());
			assertThat(processedWhileWaiting.get()).as("not acknowledged while waiting").isNull();
			assertThat(second.jobs()).extracting(FetchedJob::raw).containsExactly("job-2");
			assertThat(this.redis.template().opsForValue().get(keys.statProcessed())).isEqualTo("1");
			assertThat(this.redis.scriptCalls() - scripts).as("one fetch acknowledged and took the new job").isOne();
			assertThat(this.redis.template().opsForList().range(keys.inflight("q", "w1"), 0, -1))
				.containsExactly("job-2");
		}
	}

	@Test
	void acknowledgesAtOnceWhenTheLastFetchTookAFullBatchOrTheAcknowledgementCarriesAFanOut() throws Exception {
		try (QueueWakeUp wakeUp = armedWakeUp()) {
			BusKeys keys = this.redis.settings().keys();
			QueueFetcher worker = lingering(wakeUp, "w2", 1, Duration.ofMillis(1));
			rpush(keys.queue("q"), "job-1");
			QueueFetcher.Fetched full = this.redis.redis().execute(worker::fetch);
			worker.ackWithNextFetch(full.jobs(), List.of(), true);
			this.redis.redis().execute(worker::fetch); // the queue may hold more: no wait
			assertThat(this.redis.template().opsForValue().get(keys.statProcessed())).isEqualTo("1");
			// Full by bytes: two 600-byte jobs reach the limit of 1000, so the third stays queued.
			QueueFetcher bytes = lingering(wakeUp, "w3", 10, Duration.ofMillis(1));
			for (int i = 1; i <= 3; i++) {
				rpush(keys.queue("q"), "job-" + i + "-" + "x".repeat(594));
			}
			QueueFetcher.Fetched fullByBytes = this.redis.redis().execute(bytes::fetch);
			assertThat(fullByBytes.jobs()).hasSize(2);
			bytes.ackWithNextFetch(fullByBytes.jobs(), List.of(), true);
			assertThat(this.redis.redis().execute(bytes::fetch).jobs()).extracting(FetchedJob::raw)
				.singleElement()
				.asString()
				.startsWith("job-3-");
			assertThat(bytes.ackLingers()).as("a batch full by bytes leaves its queue maybe not empty").isZero();
			QueueFetcher driver = lingering(wakeUp, "d1", 10, Duration.ofMillis(1));
			rpush(keys.queue("q"), "event-1");
			QueueFetcher.Fetched drained = this.redis.redis().execute(driver::fetch);
			driver.fanOutWithNextFetch(drained.jobs(), Map.of("app", List.of(BusRedis.bytes("rider-1"))));
			this.redis.redis().execute(driver::fetch); // a fan-out never waits
			assertThat(this.redis.template().opsForList().range(keys.queue("app"), 0, -1)).containsExactly("rider-1");
			assertThat(worker.ackLingers() + driver.ackLingers()).isZero();
		}
	}

	@Test
	void wakesFetchersAgainAfterRedisRestarts() throws Exception {
		try (QueueWakeUp wakeUp = armedWakeUp()) {
			assertThat(wakeUp.isTracking()).isTrue();
			this.redis.server().stop();
			// Fetchers pause briefly again (50 ms at most) until Redis pushes writes again.
			await().atMost(WAIT).until(() -> !wakeUp.isTracking());
			this.redis.server().start();
			await().atMost(WAIT).until(() -> wakeUp.arms() >= 2);
			assertThat(wakeUp.isTracking()).isTrue();
			BusKeys keys = this.redis.settings().keys();
			QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w1", 10, Duration.ofSeconds(5), limit(1000),
					wakeUp).idlePark(HOUR);
			try (Fetching fetching = new Fetching(fetcher)) {
				await().atMost(WAIT).until(() -> fetcher.idleParks() >= 1);
				rpush(keys.queue("q"), "job-after-restart");
				await().atMost(WAIT).until(() -> !fetching.jobs.isEmpty());
				assertThat(fetching.jobs).containsExactly("job-after-restart");
			}
		}
	}

	@Test
	void aWokenFetcherStillLeavesAJobOverTheSizeLimitInRedis() throws Exception {
		try (QueueWakeUp wakeUp = armedWakeUp()) {
			BusKeys keys = this.redis.settings().keys();
			QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w1", 10, Duration.ofSeconds(5), limit(100),
					wakeUp).idlePark(HOUR);
			try (Fetching fetching = new Fetching(fetcher)) {
				await().atMost(WAIT).until(() -> fetcher.idleParks() >= 1);
				rpush(keys.queue("q"), "x".repeat(500));
				await().atMost(WAIT).until(() -> fetching.refused.get() == 1);
				await().atMost(WAIT).until(() -> fetcher.idleParks() >= 2);
				rpush(keys.queue("q"), "small");
				await().atMost(WAIT).until(() -> !fetching.jobs.isEmpty());
				assertThat(fetching.jobs).containsExactly("small");
				assertThat(this.redis.template().opsForList().range(keys.failed(), 0, -1)).singleElement()
					.asString()
					.contains("\"size\":500");
			}
		}
	}

	@Test
	void tracksOnlyTheQueuesOfItsFetchersAndTheShortestOfOverlappingOnes() throws Exception {
		BusKeys keys = this.redis.settings().keys();
		try (QueueWakeUp wakeUp = QueueWakeUp.of(this.redis.redis(), keys)) {
			wakeUp.signals(List.of(keys.queue("bus_incoming_p2_1"), keys.queue("app_default")));
			await().atMost(WAIT).until(() -> wakeUp.arms() >= 1);
			assertThat(trackedPrefixes()).isEqualTo(2);
			// bus_incoming begins a tracked prefix: Redis would refuse both on one connection.
			QueueFetcher fetcher = new QueueFetcher(keys, List.of("bus_incoming", "bus_incoming_p2_1"), "d1", 10,
					Duration.ofSeconds(5), limit(1000), wakeUp).idlePark(HOUR);
			assertThat(wakeUp.isTracking()).as("not yet for the new queues").isFalse();
			await().atMost(WAIT).until(() -> wakeUp.arms() >= 2);
			assertThat(wakeUp.isTracking()).isTrue();
			assertThat(trackedPrefixes()).isEqualTo(2);
			assertThat(QueueWakeUp.prefixes(List.of("b_x", "a", "b", "a_b", "ab", "c")))
				.containsExactly("a", "b", "c");
			try (Fetching fetching = new Fetching(fetcher)) {
				await().atMost(WAIT).until(() -> fetcher.idleParks() >= 1);
				rpush(keys.queue("bus_incoming_p2_1"), "job-on-a-partition");
				await().atMost(WAIT).until(() -> !fetching.jobs.isEmpty());
				assertThat(fetching.jobs).containsExactly("job-on-a-partition");
				assertThat(fetcher.wokenParks()).isPositive();
			}
		}
	}

	@Test
	void staysInactiveInClusterMode() {
		LettuceConnectionFactory cluster = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of("127.0.0.1:1")));
		BusKeys keys = this.redis.settings().keys();
		try (QueueWakeUp wakeUp = QueueWakeUp.of(new BusRedis(cluster), keys)) {
			wakeUp.start();
			assertThat(wakeUp.isActive()).isFalse();
			assertThat(wakeUp.signals(List.of(keys.queue("q")))).isEmpty();
			assertThat(wakeUp.arms()).isZero();
		}
	}

	/** A size-checked fetcher of queue {@code q} whose acknowledgements may wait 30 s for a write: a wait would show, and end. */
	private QueueFetcher lingering(QueueWakeUp wakeUp, String consumerId, int batchSize, Duration idlePark) {
		return new QueueFetcher(this.redis.settings().keys(), List.of("q"), consumerId, batchSize, Duration.ofSeconds(5),
				limit(1000), wakeUp)
			.idlePark(idlePark)
			.ackLinger(Duration.ofSeconds(30));
	}

	/** A wake-up tracking queue {@code q}, as a fetcher of it would ask for. */
	private QueueWakeUp armedWakeUp() {
		QueueWakeUp wakeUp = QueueWakeUp.of(this.redis.redis(), this.redis.settings().keys());
		assertThat(wakeUp.isActive()).isTrue();
		wakeUp.signals(List.of(this.redis.settings().keys().queue("q")));
		await().atMost(WAIT).until(() -> wakeUp.arms() >= 1);
		return wakeUp;
	}

	private long trackedPrefixes() {
		Properties stats = this.redis.template()
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("stats"));
		return Long.parseLong(stats.getProperty("tracking_total_prefixes"));
	}

	private static SizeLimit limit(long bytes) {
		return new SizeLimit(bytes, 0, List.of("{\"failed_at\":\"", "\",\"payload\":\"", "\",\"size\":", ",\"limit\":",
				",\"queue\":\"q\"}"), () -> "now");
	}

	/** RPUSH over a bare socket: any client's write wakes fetchers, not only this bus's. */
	private void rpush(String key, String value) throws IOException {
		try (Socket socket = new Socket(this.redis.server().host(), this.redis.server().port())) {
			OutputStream out = socket.getOutputStream();
			StringBuilder command = new StringBuilder("*3\r\n");
			for (String part : List.of("RPUSH", key, value)) {
				command.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
					.append("\r\n");
			}
			out.write(command.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			assertThat((char) socket.getInputStream().read()).isEqualTo(':');
		}
	}

	/** A consumer thread fetching until closed, recording what it takes. */
	private final class Fetching implements AutoCloseable {

		final AtomicInteger refused = new AtomicInteger();

		final List<String> jobs = new CopyOnWriteArrayList<>();

		private volatile boolean running = true;

		private final Thread thread;

		Fetching(QueueFetcher fetcher) {
			this.thread = new Thread(() -> {
				while (this.running) {
					QueueFetcher.Fetched fetched = QueueWakeUpTests.this.redis.redis().execute(fetcher::fetch);
					fetched.jobs().forEach((job) -> this.jobs.add(job.raw()));
					this.refused.addAndGet(fetched.refused().size());
				}
			}, "test-fetcher");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			this.thread.interrupt();
			this.thread.join(5000);
		}

	}

}
