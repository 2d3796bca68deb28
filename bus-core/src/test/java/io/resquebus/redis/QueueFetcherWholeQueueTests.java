package io.resquebus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.support.DedicatedRedis;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue the batch takes whole moves to an empty in-flight list in one step (no job copied through
 * the script but to be returned), and only then: a longer queue, a consumer still holding jobs of it,
 * or a queue over the size limit as a whole is moved job by job, each checked; so is a queue on a
 * server that refuses {@code MEMORY} or {@code RENAME}.
 */
class QueueFetcherWholeQueueTests {

	@RegisterExtension
	final DedicatedRedis redis = new DedicatedRedis();

	@Test
	void aQueueTheBatchTakesWholeMovesInOneStepWithItsJobsInOrder() throws Exception {
		BusKeys keys = this.redis.settings().keys();
		List<String> jobs = List.of("{\"n\":1}", "{\"n\":\"é ☃ 𝄞\"}", "{\"n\":3}");
		this.redis.template().opsForList().rightPushAll(keys.queue("q"), jobs);
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w1", 10, Duration.ofMillis(100),
				sizeLimit(1_000_000));
		long renames = calls("rename");
		long trims = calls("ltrim");
		QueueFetcher.Fetched fetched = this.redis.redis().execute(fetcher::fetch);
		assertThat(fetched.jobs()).extracting(FetchedJob::raw).containsExactlyElementsOf(jobs);
		assertThat(calls("rename") - renames).isEqualTo(1);
		assertThat(calls("ltrim") - trims).isZero();
		assertThat(this.redis.template().hasKey(keys.queue("q"))).isFalse();
		assertThat(this.redis.template().opsForList().range(keys.inflight("q", "w1"), 0, -1))
			.containsExactlyElementsOf(jobs);
	}

	@Test
	void aQueueLongerThanTheBatchOrJoiningJobsStillInFlightIsMovedJobByJob() throws Exception {
		BusKeys keys = this.redis.settings().keys();
		List<String> jobs = new ArrayList<>();
		for (int i = 1; i <= 15; i++) {
			jobs.add("j" + i);
		}
		this.redis.template().opsForList().rightPushAll(keys.queue("q"), jobs);
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w2", 10, Duration.ofMillis(100));
		long renames = calls("rename");
		assertThat(this.redis.redis().execute(fetcher::fetch).jobs()).extracting(FetchedJob::raw)
			.containsExactlyElementsOf(jobs.subList(0, 10));
		// The 5 left fit the next batch, but the first 10 are still in flight: they are not overwritten.
		assertThat(this.redis.redis().execute(fetcher::fetch).jobs()).extracting(FetchedJob::raw)
			.containsExactlyElementsOf(jobs.subList(10, 15));
		assertThat(calls("rename") - renames).isZero();
		assertThat(this.redis.template().opsForList().range(keys.inflight("q", "w2"), 0, -1))
			.containsExactlyElementsOf(jobs);
	}

	@Test
	void aQueueOverTheSizeLimitAsAWholeHasEachJobChecked() throws Exception {
		BusKeys keys = this.redis.settings().keys();
		String small = "{\"n\":\"" + "s".repeat(300) + "\"}";
		String big = "{\"n\":\"" + "b".repeat(3000) + "\"}";
		this.redis.template().opsForList().rightPushAll(keys.queue("q"), small, small, small, small);
		QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w3", 10, Duration.ofMillis(100), sizeLimit(1000));
		long renames = calls("rename");
		assertThat(this.redis.redis().execute(fetcher::fetch).jobs()).hasSize(4);
		this.redis.template().delete(keys.inflight("q", "w3"));
		this.redis.template().opsForList().rightPushAll(keys.queue("q"), small, big);
		QueueFetcher.Fetched fetched = this.redis.redis().execute(fetcher::fetch);
		assertThat(fetched.jobs()).extracting(FetchedJob::raw).containsExactly(small);
		assertThat(fetched.refused()).containsExactly(new QueueFetcher.Refused("q", big.length()));
		assertThat(calls("rename") - renames).isZero();
		assertThat(this.redis.template().opsForList().size(keys.failed())).isEqualTo(1);
	}

	@Test
	void copiesTheJobsWhereTheServerRefusesMemoryOrRename() throws Exception {
		// As some managed Redis services do: the commands renamed away.
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder()
			.arg("--rename-command", "MEMORY", "memory-off", "--rename-command", "RENAME", "rename-off")
			.build()) {
			server.start();
			LettuceConnectionFactory factory = DedicatedRedis.startedFactory(server);
			try {
				BusRedis redis = new BusRedis(factory);
				StringRedisTemplate template = new StringRedisTemplate(factory);
				BusKeys keys = this.redis.settings().keys();
				// With a size limit the MEMORY check is refused; without one, the RENAME.
				for (SizeLimit limit : List.of(sizeLimit(1_000_000), SizeLimit.NONE)) {
					template.delete(keys.inflight("q", "w4"));
					template.opsForList().rightPushAll(keys.queue("q"), "j1", "j2", "j3");
					QueueFetcher fetcher = new QueueFetcher(keys, List.of("q"), "w4", 10, Duration.ofMillis(100), limit);
					long trims = DedicatedRedis.calls(server, "ltrim");
					assertThat(redis.execute(fetcher::fetch).jobs()).extracting(FetchedJob::raw)
						.containsExactly("j1", "j2", "j3");
					assertThat(DedicatedRedis.calls(server, "ltrim") - trims).isOne();
					assertThat(template.opsForList().range(keys.inflight("q", "w4"), 0, -1))
						.containsExactly("j1", "j2", "j3");
					assertThat(template.hasKey(keys.queue("q"))).isFalse();
				}
			}
			finally {
				factory.destroy();
			}
		}
	}

	private long calls(String command) throws Exception {
		return DedicatedRedis.calls(this.redis.server(), command);
	}

	private static SizeLimit sizeLimit(long bytes) {
		return new SizeLimit(bytes, 0,
				List.of("{\"failed_at\":\"", "\",\"payload\":\"", "\",\"size\":", ",\"limit\":", ",\"queue\":\"q\"}"),
				() -> "now");
	}

}
