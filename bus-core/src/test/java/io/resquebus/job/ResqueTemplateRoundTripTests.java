package io.resquebus.job;

import java.util.List;

import io.resquebus.support.DedicatedRedis;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResqueTemplate#enqueueAll} sends its jobs, on several queues, in one round trip (one
 * script call, counted by Redis's own {@code INFO commandstats} on a Redis of this test's own),
 * where Resque pipelines {@code SADD}/{@code RPUSH} per job; inside it, one {@code RPUSH} a queue.
 */
class ResqueTemplateRoundTripTests {

	@RegisterExtension
	final DedicatedRedis dedicated = new DedicatedRedis();

	@Test
	void enqueueAllSendsJobsForSeveralQueuesInOneRoundTripWithOnePushAQueue() throws Exception {
		ResqueTemplate jobs = new ResqueTemplate(this.dedicated.redis(), this.dedicated.settings());
		jobs.enqueueAll(List.of(JobRequest.of("warm_up", "Archive", 0)));
		long before = this.dedicated.scriptCalls();
		long pushesBefore = DedicatedRedis.calls(this.dedicated.server(), "rpush");
		jobs.enqueueAll(List.of(JobRequest.of("file_serve", "Archive", 42, "masterbrew"),
				JobRequest.of("high", "Archive", 1), JobRequest.of("low", "Namespaced::Job"),
				JobRequest.of("file_serve", "Archive", 43, "main")));
		assertThat(this.dedicated.scriptCalls() - before).as("script calls").isOne();
		assertThat(DedicatedRedis.calls(this.dedicated.server(), "rpush") - pushesBefore).as("pushes").isEqualTo(3);
		StringRedisTemplate redis = this.dedicated.template();
		BusKeys keys = this.dedicated.settings().keys();
		assertThat(redis.opsForList().range(keys.queue("file_serve"), 0, -1)).containsExactly(
				"{\"class\":\"Archive\",\"args\":[42,\"masterbrew\"]}", "{\"class\":\"Archive\",\"args\":[43,\"main\"]}");
		assertThat(redis.opsForList().range(keys.queue("low"), 0, -1))
			.containsExactly("{\"class\":\"Namespaced::Job\",\"args\":[]}");
		assertThat(redis.opsForSet().members(keys.queues())).containsExactlyInAnyOrder("warm_up", "file_serve", "high",
				"low");
	}

}
