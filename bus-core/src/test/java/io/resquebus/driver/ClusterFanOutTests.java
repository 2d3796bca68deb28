package io.resquebus.driver;

import java.util.List;

import io.resquebus.redis.BusRedis;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's commit on a Redis Cluster: an event leaves the in-flight list only once every push
 * is done, and a redelivered event skips the pushes its progress set records.
 */
class ClusterFanOutTests {

	@RegisterExtension
	final TestBus bus = TestBus.onCluster();

	private static final String EVENT = "{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"bus_id\\\":\\\"e1\\\"}\"]}";

	@Test
	void pushesEveryJobThenRemovesTheEventFromTheInflightList() {
		BusKeys keys = this.bus.keys();
		String inflight = keys.inflight(BusKeys.INCOMING_QUEUE, "driver-1");
		this.bus.template().opsForList().rightPush(inflight, EVENT);
		commit(List.of(new Push("a_default", "ja"), new Push("b_default", "jb"), new Push("b_default", "jb2")));
		assertThat(this.bus.list(keys.queue("a_default"))).containsExactly("ja");
		assertThat(this.bus.list(keys.queue("b_default"))).containsExactly("jb", "jb2");
		assertThat(this.bus.members(keys.queues())).contains("a_default", "b_default");
		assertThat(this.bus.list(inflight)).isEmpty();
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo("1");
		assertThat(this.bus.template().keys("{" + keys.queue(BusKeys.INCOMING_QUEUE) + "}:pushed:*")).isEmpty();
	}

	@Test
	void skipsThePushesARedeliveredEventAlreadyMade() {
		BusKeys keys = this.bus.keys();
		String inflight = keys.inflight(BusKeys.INCOMING_QUEUE, "driver-2");
		this.bus.template().opsForList().rightPush(inflight, EVENT);
		// A driver that died after its first two pushes: they are on their queues and in the progress set.
		this.bus.template().opsForList().rightPush(keys.queue("a_default"), "ja");
		this.bus.template().opsForList().rightPush(keys.queue("b_default"), "jb");
		String progress = keys.pushed(BusKeys.INCOMING_QUEUE, sha1(EVENT));
		this.bus.template().opsForSet().add(progress, "a_default:1", "b_default:1");
		commit(List.of(new Push("a_default", "ja"), new Push("b_default", "jb"), new Push("b_default", "jb2")));
		assertThat(this.bus.list(keys.queue("a_default"))).containsExactly("ja");
		assertThat(this.bus.list(keys.queue("b_default"))).containsExactly("jb", "jb2");
		assertThat(this.bus.list(inflight)).isEmpty();
		assertThat(this.bus.template().hasKey(progress)).isFalse();
	}

	private void commit(List<Push> pushes) {
		String consumer = this.bus.list(this.bus.keys().inflight(BusKeys.INCOMING_QUEUE, "driver-1")).isEmpty()
				? "driver-2" : "driver-1";
		this.bus.redis().execute((connection) -> {
			new ClusterFanOut(this.bus.keys()).commit(connection, BusKeys.INCOMING_QUEUE, consumer,
					List.of(BusRedis.bytes(EVENT)), List.of(pushes));
			return null;
		});
	}

	private static String sha1(String text) {
		try {
			return java.util.HexFormat.of()
				.formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(BusRedis.bytes(text)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
