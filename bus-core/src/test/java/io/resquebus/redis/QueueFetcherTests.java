package io.resquebus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone fetch script: jobs move a few at a time in order and priority, a job over the size
 * limit ends the batch wherever it is, and jobs left to be acknowledged by the next fetch are, in the
 * same script, before it moves anything.
 */
class QueueFetcherTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void movesJobsInOrderHighestPriorityFirstUpToTheBatchSize() {
		BusKeys keys = this.bus.keys();
		List<String> low = new ArrayList<>();
		for (int i = 1; i <= 20; i++) {
			low.add("l" + i);
		}
		this.bus.template().opsForList().rightPushAll(keys.queue("low"), low);
		this.bus.template().opsForList().rightPushAll(keys.queue("high"), "h1", "h2", "h3");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("high", "low"), "w1", 10, Duration.ofMillis(100));
		QueueFetcher.Fetched fetched = this.bus.redis().execute(fetcher::fetch);
		assertThat(fetched.jobs()).extracting((job) -> job.queue() + ":" + job.raw())
			.containsExactly("high:h1", "high:h2", "high:h3", "low:l1", "low:l2", "low:l3", "low:l4", "low:l5",
					"low:l6", "low:l7");
		assertThat(this.bus.list(keys.inflight("high", "w1"))).containsExactly("h1", "h2", "h3");
		assertThat(this.bus.list(keys.inflight("low", "w1"))).containsExactlyElementsOf(low.subList(0, 7));
		assertThat(this.bus.list(keys.queue("high"))).isEmpty();
		assertThat(this.bus.list(keys.queue("low"))).containsExactlyElementsOf(low.subList(7, 20));
		QueueFetcher big = new QueueFetcher(keys, List.of("low"), "w2", 100, Duration.ofMillis(100));
		assertThat(this.bus.redis().execute(big::fetch).jobs()).extracting(FetchedJob::raw)
			.containsExactlyElementsOf(low.subList(7, 20));
		assertThat(this.bus.list(keys.queue("low"))).isEmpty();
	}

	@Test
	void jobsOverTheSizeLimitEndTheBatchWithTheJobsReadWithThemAndTheRestStays() {
		BusKeys keys = this.bus.keys();
		String big = "{\"class\":\"Big\",\"args\":[\"" + "x".repeat(4000) + "\"]}";
		List<String> queued = new ArrayList<>(List.of("s1", big, "s2", big));
		for (int i = 3; i <= 12; i++) {
			queued.add("s" + i);
		}
		this.bus.template().opsForList().rightPushAll(keys.queue("q"), queued);
		SizeLimit limit = new SizeLimit(1000, 0, List.of("{\"failed_at\":\"", "\",\"payload\":\"", "\",\"size\":",
				",\"limit\":", ",\"queue\":\"q\"}"), () -> "now");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w3", 50, Duration.ofMillis(100), limit);
		QueueFetcher.Fetched first = this.bus.redis().execute(fetcher::fetch);
		// The first 10 read: 8 taken, 2 failed, and the batch ends there.
		List<String> taken = List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
		assertThat(first.jobs()).extracting(FetchedJob::raw).containsExactlyElementsOf(taken);
		QueueFetcher.Refused refused = new QueueFetcher.Refused("q", BusRedis.bytes(big).length);
		assertThat(first.refused()).containsExactly(refused, refused);
		assertThat(this.bus.list(keys.inflight("q", "w3"))).containsExactlyElementsOf(taken);
		assertThat(this.bus.list(keys.queue("q"))).containsExactly("s9", "s10", "s11", "s12");
		assertThat(this.bus.list(keys.failed())).hasSize(2)
			.allSatisfy((entry) -> assertThat(entry).startsWith("{\"failed_at\":\"now\",\"payload\":\"{\\\"class\\\":\\\"Big\\\"")
				.endsWith("\",\"size\":" + BusRedis.bytes(big).length + ",\"limit\":1000,\"queue\":\"q\"}"));
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("2");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
	}

	@Test
	void aBatchEndsOnceItsJobsReachTheSizeLimitInBytesWhateverTheBatchSize() {
		BusKeys keys = this.bus.keys();
		List<String> a = new ArrayList<>();
		for (int i = 1; i <= 6; i++) {
			a.add(sized("a" + i, 300));
		}
		this.bus.template().opsForList().rightPushAll(keys.queue("a"), a);
		this.bus.template().opsForList().rightPushAll(keys.queue("b"), sized("b1", 300), sized("b2", 300));
		SizeLimit limit = new SizeLimit(1000, 0, List.of("{\"failed_at\":\"", "\",\"payload\":\"", "\",\"size\":",
				",\"limit\":", ",\"queue\":\"q\"}"), () -> "now");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("a", "b"), "w8", 100, Duration.ofMillis(100), limit);
		// 300, 600, 900 are under the limit of 1000, so a fourth job goes in; then the batch is full.
		QueueFetcher.Fetched first = this.bus.redis().execute(fetcher::fetch);
		assertThat(first.jobs()).extracting(FetchedJob::raw).containsExactlyElementsOf(a.subList(0, 4));
		assertThat(first.refused()).isEmpty();
		assertThat(this.bus.list(keys.queue("a"))).containsExactlyElementsOf(a.subList(4, 6));
		assertThat(this.bus.list(keys.queue("b"))).hasSize(2);
		assertThat(this.bus.list(keys.inflight("a", "w8"))).containsExactlyElementsOf(a.subList(0, 4));
		fetcher.ackWithNextFetch(first.jobs(), List.of(), true);
		QueueFetcher.Fetched second = this.bus.redis().execute(fetcher::fetch);
		assertThat(second.jobs()).extracting(FetchedJob::raw)
			.containsExactly(a.get(4), a.get(5), sized("b1", 300), sized("b2", 300));
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("4");
	}

	/** A job of exactly {@code bytes} bytes starting with its name. */
	private static String sized(String name, int bytes) {
		return name + "-" + "x".repeat(bytes - name.length() - 1);
	}

	@Test
	void theNextFetchAcknowledgesTheJobsLeftToItBeforeMovingMore() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("a"), "a1", "a2");
		this.bus.template().opsForList().rightPushAll(keys.queue("b"), "b1");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("a", "b"), "w4", 10, Duration.ofMillis(100));
		QueueFetcher.Fetched first = this.bus.redis().execute(fetcher::fetch);
		assertThat(first.jobs()).extracting(FetchedJob::raw).containsExactly("a1", "a2", "b1");
		this.bus.template().opsForValue().set(keys.worker("w4"), "{\"queue\":\"a\"}");
		this.bus.template().opsForValue().set("resque:retry-counter-a1", "0");
		// a2 did not run (it failed, say): only a1 and b1 are acknowledged.
		fetcher.ackWithNextFetch(List.of(first.jobs().get(0), first.jobs().get(2)), List.of("resque:retry-counter-a1"),
				true);
		assertThat(this.bus.get(keys.statProcessed())).isNull();
		this.bus.template().opsForList().rightPushAll(keys.queue("b"), "b2");
		QueueFetcher.Fetched second = this.bus.redis().execute(fetcher::fetch);
		assertThat(second.jobs()).extracting(FetchedJob::raw).containsExactly("b2");
		assertThat(this.bus.list(keys.inflight("a", "w4"))).containsExactly("a2");
		assertThat(this.bus.list(keys.inflight("b", "w4"))).containsExactly("b2");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		assertThat(this.bus.get(keys.statProcessed("w4"))).isEqualTo("2");
		assertThat(this.bus.get(keys.worker("w4"))).isNull();
		assertThat(this.bus.get("resque:retry-counter-a1")).isNull();
		assertThat(fetcher.hasPendingAck()).isFalse();
		// Sent once: a fetch with nothing left to it acknowledges nothing.
		this.bus.redis().execute(fetcher::fetch);
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
	}

	@Test
	void writesTheJobRecordOfTheFirstJobFetchedAndDeletesTheOldOneWhenNothingFollows() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("b"), "{\"b\":1}", "{\"b\":2}");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("a", "b"), "w6", 10, Duration.ofMillis(100));
		List<String> written = new ArrayList<>();
		fetcher.setJobRecord(new QueueFetcher.JobRecord() {

			@Override
			public List<String> around(String queue) {
				return List.of("{\"queue\":\"" + queue + "\",\"payload\":", "}");
			}

			@Override
			public void written(String record) {
				written.add(record);
			}

		});
		QueueFetcher.Fetched fetched = this.bus.redis().execute(fetcher::fetch);
		assertThat(this.bus.get(keys.worker("w6"))).isEqualTo("{\"queue\":\"b\",\"payload\":{\"b\":1}}");
		assertThat(written).containsExactly("{\"queue\":\"b\",\"payload\":{\"b\":1}}");
		fetcher.ackWithNextFetch(fetched.jobs(), List.of(), true);
		this.bus.redis().execute(fetcher::fetch);
		assertThat(this.bus.get(keys.worker("w6"))).isNull();
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		assertThat(written).hasSize(1);
	}

	@Test
	void puttingBackTheInFlightJobsAcknowledgesTheJobsLeftToTheNextFetchFirst() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("q"), "j1", "j2", "j3");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w5", 10, Duration.ofMillis(100));
		QueueFetcher.Fetched fetched = this.bus.redis().execute(fetcher::fetch);
		fetcher.ackWithNextFetch(fetched.jobs().subList(0, 2), List.of(), false);
		int restored = this.bus.redis().execute(fetcher::restoreOwn);
		assertThat(restored).isEqualTo(1);
		assertThat(this.bus.list(keys.queue("q"))).containsExactly("j3");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		assertThat(fetcher.hasPendingAck()).isFalse();
	}

	@Test
	void slowJobsAreFetchedOneAtATimeAndFastOnesGrowTheBatchBackToItsSize() {
		BusKeys keys = this.bus.keys();
		List<String> queued = new ArrayList<>();
		for (int i = 1; i <= 200; i++) {
			queued.add("j" + i);
		}
		this.bus.template().opsForList().rightPushAll(keys.queue("q"), queued);
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w9", 20, Duration.ofMillis(100));
		assertThat(this.bus.redis().execute(fetcher::fetch).jobs()).hasSize(20);
		fetcher.handled(20, Duration.ofSeconds(20).toNanos()); // a second per job
		assertThat(fetcher.fetchLimit()).isEqualTo(1);
		assertThat(this.bus.redis().execute(fetcher::fetch).jobs()).extracting(FetchedJob::raw).containsExactly("j21");
		fetcher.handled(1, Duration.ofMillis(40).toNanos());
		assertThat(fetcher.fetchLimit()).isBetween(1, 19);
		for (int i = 0; i < 30; i++) {
			fetcher.handled(fetcher.fetchLimit(), 1000L * fetcher.fetchLimit()); // a microsecond per job
		}
		assertThat(fetcher.fetchLimit()).isEqualTo(20);
		assertThat(this.bus.redis().execute(fetcher::fetch).jobs()).hasSize(20);
	}


	@Test
	void readsTheKeyItIsGivenInTheSameStepAsItMovesJobsAndNeverDeletesIt() {
		BusKeys keys = this.bus.keys();
		String version = keys.registryVersion();
		this.bus.template().opsForValue().set(version, "7");
		this.bus.template().opsForList().rightPushAll(keys.queue("q"), "j1", "j2");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w10", 10, Duration.ofMillis(100));
		fetcher.readWithEachFetch(version);
		QueueFetcher.Fetched first = this.bus.redis().execute(fetcher::fetch);
		assertThat(first.jobs()).extracting(FetchedJob::raw).containsExactly("j1", "j2");
		assertThat(fetcher.readWithLastFetch()).isEqualTo("7");
		// The key goes last, after the retry counters the acknowledgement deletes: it is not one of them.
		this.bus.template().opsForValue().set("resque:retry-counter-j1", "0");
		fetcher.ackWithNextFetch(first.jobs(), List.of("resque:retry-counter-j1"), true);
		this.bus.template().opsForValue().set(version, "8");
		this.bus.template().opsForList().rightPush(keys.queue("q"), "j3");
		QueueFetcher.Fetched second = this.bus.redis().execute(fetcher::fetch);
		assertThat(second.jobs()).extracting(FetchedJob::raw).containsExactly("j3");
		assertThat(fetcher.readWithLastFetch()).isEqualTo("8");
		assertThat(this.bus.get("resque:retry-counter-j1")).isNull();
		assertThat(this.bus.get(version)).isEqualTo("8");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		this.bus.template().delete(version);
		this.bus.template().opsForList().rightPush(keys.queue("q"), "j4");
		this.bus.redis().execute(fetcher::fetch);
		assertThat(fetcher.readWithLastFetch()).as("a missing key, as the registry read shows it").isEqualTo("0");
		QueueFetcher plain = new QueueFetcher(keys, List.of("q"), "w11", 10, Duration.ofMillis(100));
		this.bus.template().opsForList().rightPush(keys.queue("q"), "j5");
		assertThat(this.bus.redis().execute(plain::fetch).jobs()).extracting(FetchedJob::raw).containsExactly("j5");
		assertThat(plain.readWithLastFetch()).isNull();
	}

	@Test
	void aFanOutLeftToTheNextFetchIsPushedWithTheAcknowledgementOfItsDrivenJobsBeforeMoreAreMoved() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("incoming"), "e1", "e2");
		QueueFetcher driver = new QueueFetcher(keys, List.of("incoming"), "d1", 10, Duration.ofMillis(100));
		QueueFetcher.Fetched first = this.bus.redis().execute(driver::fetch);
		this.bus.template().opsForList().rightPush(keys.queue("app_b"), "older");
		Map<String, List<byte[]>> pushes = new LinkedHashMap<>();
		pushes.put("app_a", List.of(BusRedis.bytes("a1"), BusRedis.bytes("a2")));
		pushes.put("app_b", List.of(BusRedis.bytes("b1")));
		driver.fanOutWithNextFetch(first.jobs(), pushes);
		assertThat(this.bus.list(keys.queue("app_a"))).isEmpty();
		this.bus.template().opsForList().rightPush(keys.queue("incoming"), "e3");
		QueueFetcher.Fetched second = this.bus.redis().execute(driver::fetch);
		assertThat(second.jobs()).extracting(FetchedJob::raw).containsExactly("e3");
		assertThat(this.bus.list(keys.queue("app_a"))).containsExactly("a1", "a2");
		assertThat(this.bus.list(keys.queue("app_b"))).containsExactly("older", "b1");
		assertThat(this.bus.members(keys.queues())).contains("app_a", "app_b");
		assertThat(this.bus.list(keys.inflight("incoming", "d1"))).containsExactly("e3");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		assertThat(this.bus.get(keys.statProcessed("d1"))).isEqualTo("2");
		assertThat(driver.hasPendingAck()).isFalse();
	}

	@Test
	void flushingAFanOutLeftToTheNextFetchPushesItAndMovesNothing() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("incoming"), "e1", "e2");
		QueueFetcher driver = new QueueFetcher(keys, List.of("incoming"), "d2", 1, Duration.ofMillis(100));
		QueueFetcher.Fetched first = this.bus.redis().execute(driver::fetch);
		driver.fanOutWithNextFetch(first.jobs(), Map.of("app_a", List.of(BusRedis.bytes("a1"))));
		int acknowledged = this.bus.redis().execute(driver::flushAcks);
		assertThat(acknowledged).isEqualTo(1);
		assertThat(this.bus.list(keys.queue("app_a"))).containsExactly("a1");
		assertThat(this.bus.list(keys.inflight("incoming", "d2"))).isEmpty();
		assertThat(this.bus.list(keys.queue("incoming"))).containsExactly("e2");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("1");
		assertThat(driver.hasPendingAck()).isFalse();
	}

	@Test
	void jobsAcknowledgedByCountAreSentAgainByTheirBytesWhenTheirInFlightListHoldsAnotherJobToo() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("q"), "j1", "j2");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w7", 10, Duration.ofMillis(100));
		QueueFetcher.Fetched fetched = this.bus.redis().execute(fetcher::fetch);
		fetcher.ackWithNextFetch(fetched.jobs(), List.of(), false);
		// Another job in the list (one a recovery put there, say): deleting the list would lose it.
		this.bus.template().opsForList().rightPush(keys.inflight("q", "w7"), "other");
		this.bus.template().opsForList().rightPush(keys.queue("q"), "j3");
		assertThat(this.bus.redis().execute(fetcher::fetch).jobs()).extracting(FetchedJob::raw).containsExactly("j3");
		assertThat(this.bus.list(keys.inflight("q", "w7"))).containsExactly("other", "j3");
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("2");
		// Where the list holds just them, the count alone does.
		fetcher.ackWithNextFetch(
				List.of(FetchedJob.of("q", BusRedis.bytes("other")), FetchedJob.of("q", BusRedis.bytes("j3"))), List.of(),
				false);
		this.bus.redis().execute(fetcher::fetch);
		assertThat(this.bus.list(keys.inflight("q", "w7"))).isEmpty();
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("4");
	}

}
