package io.resquebus.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failed call's message says: Redis's own refusal of the credentials when it gave one, and
 * that the handshake closed when Lettuce lost Redis's reason (so callers may try once more).
 */
class BusRedisExplainTests {

	@Test
	void namesTheRefusedCredentialsBehindAnUnableToConnect() {
		RuntimeException ex = new RedisConnectionFailureException("Unable to connect to Redis",
				new RedisConnectionException("Unable to connect to localhost:6390",
						new RedisCommandExecutionException("WRONGPASS invalid username-password pair")));
		assertThat(BusRedis.explain(ex))
			.isEqualTo("authentication failed (WRONGPASS invalid username-password pair); check the Redis username and password");
		assertThat(RedisErrors.isLostHandshake(ex)).isFalse();
	}

	@Test
	void saysTheHandshakeClosedWhenLettuceLostRedisReason() {
		RuntimeException ex = new RedisConnectionFailureException("Unable to connect to Redis",
				new IllegalStateException("RedisHandshakeHandler not registered"));
		assertThat(RedisErrors.isLostHandshake(ex)).isTrue();
		assertThat(BusRedis.explain(ex)).contains("closed during its handshake")
			.contains("refused username or password");
	}

	@Test
	void otherFailuresKeepTheirOwnMessageAndRootCause() {
		RuntimeException ex = new RedisConnectionFailureException("Unable to connect to Redis",
				new IllegalStateException("something else"));
		assertThat(RedisErrors.isLostHandshake(ex)).isFalse();
		assertThat(BusRedis.explain(ex))
			.isEqualTo("Unable to connect to Redis; cause: java.lang.IllegalStateException: something else");
	}

}
