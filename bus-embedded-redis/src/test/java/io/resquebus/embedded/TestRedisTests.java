package io.resquebus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.resquebus.embedded.TestRedis.RedisEndpoint;
import org.junit.jupiter.api.Test;

class TestRedisTests {

	@Test
	void sharedAnswersPingAndIsTheSameEndpointTwice() {
		RedisEndpoint first = TestRedis.shared();
		RedisEndpoint second = TestRedis.shared();

		assertThat(second).isSameAs(first);
		assertThat(first.kind()).isIn("external", "testcontainers", "embedded");
		assertThat(first.url()).isEqualTo("redis://" + first.host() + ":" + first.port());
		assertThat(RespPing.ping(first.host(), first.port())).isTrue();
	}

	@Test
	void dedicatedIsANewStartedServerOwnedByTheCaller() {
		RedisEndpoint shared = TestRedis.shared();
		try (EmbeddedRedisServer dedicated = TestRedis.dedicated()) {
			assertThat(dedicated.isRunning()).isTrue();
			assertThat(dedicated.port()).isNotEqualTo(shared.port());
			assertThat(RespPing.ping(dedicated.host(), dedicated.port())).isTrue();

			dedicated.stop();

			assertThat(RespPing.ping(shared.host(), shared.port())).isTrue();
		}
	}
}
