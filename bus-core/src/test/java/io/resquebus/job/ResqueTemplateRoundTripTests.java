package io.resquebus.job;

import java.time.Duration;
import java.util.List;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.BusRedis;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResqueTemplate#enqueueAll} sends its jobs, on several queues, in one round trip (one
 * script call, counted by Redis's own {@code INFO commandstats} on a Redis of this test's own),
 * where Resque pipelines {@code SADD}/{@code RPUSH} per job.
 */
class ResqueTemplateRoundTripTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void enqueueAllSendsJobsForSeveralQueuesInOneRoundTrip() throws Exception {
		try (EmbeddedRedisServer server = TestRedis.dedicated()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(server.host(), server.port()));
			factory.afterPropertiesSet();
			factory.start();
			try {
				ResqueTemplate jobs = new ResqueTemplate(new BusRedis(factory), this.bus.settings());
				jobs.enqueueAll(List.of(JobRequest.of("warm_up", "Archive", 0)));
				long before = scriptCalls(server);
				jobs.enqueueAll(List.of(JobRequest.of("file_serve", "Archive", 42, "masterbrew"),
						JobRequest.of("high", "Archive", 1), JobRequest.of("low", "Namespaced::Job"),
						JobRequest.of("file_serve", "Archive", 43, "main")));
				assertThat(scriptCalls(server) - before).as("script calls").isOne();
				StringRedisTemplate redis = new StringRedisTemplate(factory);
				BusKeys keys = this.bus.keys();
				assertThat(redis.opsForList().range(keys.queue("file_serve"), 0, -1)).containsExactly(
						"{\"class\":\"Archive\",\"args\":[42,\"masterbrew\"]}",
						"{\"class\":\"Archive\",\"args\":[43,\"main\"]}");
				assertThat(redis.opsForList().range(keys.queue("low"), 0, -1))
					.containsExactly("{\"class\":\"Namespaced::Job\",\"args\":[]}");
				assertThat(redis.opsForSet().members(keys.queues()))
					.containsExactlyInAnyOrder("warm_up", "file_serve", "high", "low");
			}
			finally {
				factory.destroy();
			}
		}
	}

	/** Scripts Redis ran so far ({@code EVALSHA} and {@code EVAL} calls). */
	private static long scriptCalls(EmbeddedRedisServer server) throws Exception {
		String stats = RespPing.command(server.host(), server.port(), Duration.ofSeconds(5), "INFO", "commandstats");
		long calls = 0;
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
				String value = line.substring(line.indexOf("calls=") + 6);
				calls += Long.parseLong(value.substring(0, value.indexOf(',')));
			}
		}
		return calls;
	}

}
