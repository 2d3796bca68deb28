package io.resquebus.redis;

import java.time.Duration;
import java.util.List;

import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fetching on a Redis Cluster: one slot per step, priority order across queues of different
 * slots, jobs over the size limit recorded as failures, and the slot guard.
 */
class ClusterQueueFetcherTests {

	@RegisterExtension
	final TestBus bus = TestBus.onCluster();

	@Test
	void fetchesQueuesOfDifferentSlotsInPriorityOrder() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForList().rightPushAll(keys.queue("low"), "l1", "l2");
		this.bus.template().opsForList().rightPushAll(keys.queue("high"), "h1");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("high", "low"), "w1", 10, Duration.ofMillis(100));
		QueueFetcher.Fetched fetched = this.bus.redis().execute(fetcher::fetch);
		assertThat(fetched.jobs()).extracting(FetchedJob::raw).containsExactly("h1", "l1", "l2");
		assertThat(this.bus.list(keys.inflight("high", "w1"))).containsExactly("h1");
		assertThat(this.bus.list(keys.inflight("low", "w1"))).containsExactly("l1", "l2");
		int acknowledged = this.bus.redis().execute((connection) -> fetcher.complete(connection, fetched.jobs(), List.of(), true));
		assertThat(acknowledged).isEqualTo(3);
		assertThat(this.bus.list(keys.inflight("low", "w1"))).isEmpty();
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("3");
	}

	@Test
	void recordsAJobOverTheSizeLimitAsAFailureWithoutFetchingIt() {
		BusKeys keys = this.bus.keys();
		String big = "{\"class\":\"Big\",\"args\":[\"" + "x".repeat(4000) + "\"]}";
		this.bus.template().opsForList().rightPushAll(keys.queue("q"), big, "small");
		SizeLimit limit = new SizeLimit(1000, 0, List.of("{\"failed_at\":\"", "\",\"payload\":\"", "\",\"size\":",
				",\"limit\":", ",\"queue\":\"q\"}"), () -> "now");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w2", 10, Duration.ofMillis(100), limit);
		QueueFetcher.Fetched first = this.bus.redis().execute(fetcher::fetch);
		assertThat(first.jobs()).isEmpty();
		assertThat(first.refused()).containsExactly(new QueueFetcher.Refused("q", BusRedis.bytes(big).length));
		assertThat(this.bus.list(keys.failed())).singleElement()
			.asString()
			.startsWith("{\"failed_at\":\"now\",\"payload\":\"{\\\"class\\\":\\\"Big\\\"")
			.endsWith("\",\"size\":" + BusRedis.bytes(big).length + ",\"limit\":1000,\"queue\":\"q\"}");
		assertThat(this.bus.list(keys.inflight("q", "w2"))).isEmpty();
		assertThat(this.bus.get(keys.statFailed())).isEqualTo("1");
		QueueFetcher.Fetched second = this.bus.redis().execute(fetcher::fetch);
		assertThat(second.jobs()).extracting(FetchedJob::raw).containsExactly("small");
	}

	@Test
	void aBatchEndsOnceItsJobsReachTheSizeLimitInBytesAcrossSlots() {
		BusKeys keys = this.bus.keys();
		String job = "x".repeat(400);
		this.bus.template().opsForList().rightPushAll(keys.queue("high"), "h1-" + job, "h2-" + job);
		this.bus.template().opsForList().rightPushAll(keys.queue("low"), "l1-" + job, "l2-" + job);
		SizeLimit limit = new SizeLimit(1000, 0, List.of("{\"failed_at\":\"", "\",\"payload\":\"", "\",\"size\":",
				",\"limit\":", ",\"queue\":\"q\"}"), () -> "now");
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("high", "low"), "w3", 100, Duration.ofMillis(100), limit);
		// 403 + 403 leave room for a third job, from the next queue; then the batch holds 1209 bytes.
		QueueFetcher.Fetched first = this.bus.redis().execute(fetcher::fetch);
		assertThat(first.jobs()).extracting(FetchedJob::raw).containsExactly("h1-" + job, "h2-" + job, "l1-" + job);
		assertThat(this.bus.list(keys.queue("low"))).containsExactly("l2-" + job);
		assertThat(this.bus.redis().execute(fetcher::fetch).jobs()).extracting(FetchedJob::raw)
			.containsExactly("l2-" + job);
	}

	@Test
	void enqueuesMoreJobsThanOneLuaCallCanUnpack() {
		BusKeys keys = this.bus.keys();
		List<byte[]> jobs = java.util.stream.IntStream.range(0, 2500).mapToObj((i) -> BusRedis.bytes("j" + i)).toList();
		this.bus.redis().execute((connection) -> {
			SlotSteps.enqueue(connection, keys, "many", jobs);
			return null;
		});
		assertThat(this.bus.template().opsForList().size(keys.queue("many"))).isEqualTo(2500);
		assertThat(this.bus.list(keys.queue("many"))).startsWith("j0", "j1").endsWith("j2499");
	}

	@Test
	void refusesAScriptWhoseKeysSpanSlotsBeforeSendingIt() {
		BusKeys keys = this.bus.keys();
		assertThatThrownBy(() -> this.bus.redis()
			.run(BusScript.load("requeue"), List.of(keys.inflight("a", "w"), keys.queue("b")), List.of("job")))
			.isInstanceOf(CrossSlotException.class)
			.hasMessageContaining("requeue.lua");
		assertThat(this.bus.list(keys.queue("b"))).isEmpty();
	}

}
