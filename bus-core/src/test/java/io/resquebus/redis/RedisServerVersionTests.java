package io.resquebus.redis;

import java.util.Properties;

import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bus refuses a Redis older than 6.2 (no LMOVE/BLMOVE) with a message naming the server and
 * its version, and accepts the real one the tests run on.
 */
class RedisServerVersionTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void refusesVersionsBefore62AndAcceptsLaterOnes() {
		assertThat(RedisServerVersion.isSupported("5.0.14.1")).as("embedded-redis's Windows build").isFalse();
		assertThat(RedisServerVersion.isSupported("6.0.20")).isFalse();
		assertThat(RedisServerVersion.isSupported("6.1.9")).isFalse();
		assertThat(RedisServerVersion.isSupported("6.2.0")).isTrue();
		assertThat(RedisServerVersion.isSupported("6.2.6")).isTrue();
		assertThat(RedisServerVersion.isSupported("7.0.15")).isTrue();
		assertThat(RedisServerVersion.isSupported("10.0")).isTrue();
		assertThat(RedisServerVersion.isSupported("255.255.255")).as("unstable builds").isTrue();
	}

	@Test
	void failsNamingTheServerAndItsVersionWhenTooOld() {
		Properties info = new Properties();
		info.setProperty("redis_version", "5.0.14.1");
		info.setProperty("redis_mode", "standalone");
		assertThatThrownBy(() -> RedisServerVersion.require(info, "redis://localhost:6379"))
			.isInstanceOf(UnsupportedRedisVersionException.class)
			.hasMessageStartingWith("Redis at redis://localhost:6379 is version 5.0.14.1; the bus needs Redis 6.2.0");
	}

	@Test
	void namesTheClusterNodesThatAreTooOld() {
		Properties info = new Properties();
		info.setProperty("127.0.0.1:7000.redis_version", "7.2.4");
		info.setProperty("127.0.0.1:7001.redis_version", "6.0.9");
		assertThatThrownBy(() -> RedisServerVersion.require(info, "cluster"))
			.hasMessageContaining("is version 127.0.0.1:7001 6.0.9;")
			.hasMessageNotContaining("7000");
	}

	@Test
	void acceptsTheRealServerTheTestsRunOn() {
		String version = this.bus.redis().execute((connection) -> connection.serverCommands().info("server"))
			.getProperty("redis_version");
		assertThat(RedisServerVersion.isSupported(version)).as(version).isTrue();
		assertThatNoException().isThrownBy(this.bus.redis()::requireSupportedServer);
	}

}
