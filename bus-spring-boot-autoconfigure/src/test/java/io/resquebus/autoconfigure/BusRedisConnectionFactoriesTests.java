package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code resquebus.redis.*} read the way Spring Boot reads {@code spring.data.redis.*}.
 */
class BusRedisConnectionFactoriesTests {

	@Test
	void readsCredentialsDatabaseAndSslFromTheUrl() {
		DataRedisProperties properties = new DataRedisProperties();
		properties.setUrl("rediss://bus:s3cret@redis.example:6390/3");
		properties.setTimeout(Duration.ofSeconds(5));

		LettuceConnectionFactory factory = BusRedisConnectionFactories.create(properties, null);

		RedisStandaloneConfiguration config = (RedisStandaloneConfiguration) BusRedisConnectionFactories
			.server(properties);
		assertThat(factory.getHostName()).isEqualTo("redis.example");
		assertThat(config.getHostName()).isEqualTo("redis.example");
		assertThat(config.getPort()).isEqualTo(6390);
		assertThat(config.getDatabase()).isEqualTo(3);
		assertThat(config.getUsername()).isEqualTo("bus");
		assertThat(config.getPassword().get()).containsExactly("s3cret".toCharArray());
		assertThat(factory.getClientConfiguration().isUseSsl()).isTrue();
		assertThat(factory.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void usesSentinelWhenAMasterIsNamed() {
		DataRedisProperties properties = new DataRedisProperties();
		properties.setSentinel(new DataRedisProperties.Sentinel());
		properties.getSentinel().setMaster("bus-master");
		properties.getSentinel().setNodes(List.of("10.0.0.1:26379", "10.0.0.2:26379"));

		RedisSentinelConfiguration config = (RedisSentinelConfiguration) BusRedisConnectionFactories
			.server(properties);

		assertThat(config.getMaster().getName()).isEqualTo("bus-master");
		assertThat(config.getSentinels()).hasSize(2);
	}

	@Test
	void usesClusterWhenNodesAreGiven() {
		DataRedisProperties properties = new DataRedisProperties();
		properties.setCluster(new DataRedisProperties.Cluster());
		properties.getCluster().setNodes(List.of("10.0.0.1:7000", "10.0.0.2:7000"));

		RedisClusterConfiguration config = (RedisClusterConfiguration) BusRedisConnectionFactories
			.server(properties);

		assertThat(config.getClusterNodes()).hasSize(2);
	}

}
