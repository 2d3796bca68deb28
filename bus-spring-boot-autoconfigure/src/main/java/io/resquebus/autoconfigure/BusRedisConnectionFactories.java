package io.resquebus.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.resquebus.autoconfigure.cluster.ClusterTopology;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * Builds the bus's own Lettuce connection factory from {@code resquebus.redis.*}, which has the
 * shape of {@code spring.data.redis.*}: a URL or host, port, database, username, password,
 * {@code ssl.enabled}, timeouts and client name, or {@code sentinel.*}, or {@code cluster.*}.
 */
final class BusRedisConnectionFactories {

	private BusRedisConnectionFactories() {
	}

	static LettuceConnectionFactory create(DataRedisProperties properties, @Nullable ClientResources resources) {
		URI uri = StringUtils.hasText(properties.getUrl()) ? URI.create(properties.getUrl()) : null;
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
		if (resources != null) {
			client.clientResources(resources);
		}
		if (properties.getSsl().isEnabled() || (uri != null && "rediss".equals(uri.getScheme()))) {
			client.useSsl();
		}
		if (properties.getTimeout() != null) {
			client.commandTimeout(properties.getTimeout());
		}
		if (StringUtils.hasText(properties.getClientName())) {
			client.clientName(properties.getClientName());
		}
		RedisConfiguration server = server(properties);
		if (server instanceof RedisSentinelConfiguration) {
			client.readFrom(readFrom(properties.getLettuce().getReadFrom()));
		}
		client.clientOptions(clientOptions(server instanceof RedisClusterConfiguration, properties.getConnectTimeout()));
		return new LettuceConnectionFactory(server, client.build());
	}

	/**
	 * Behind Sentinel, the master by default through a Master/Replica connection that follows a
	 * failover (see {@link BusSentinelAutoConfiguration}); else the {@code lettuce.read-from} set,
	 * in Spring Boot's spelling ({@code upstream}, {@code replica-preferred}, {@code subnet:...}).
	 */
	static ReadFrom readFrom(@Nullable String readFrom) {
		if (!StringUtils.hasText(readFrom)) {
			return ReadFrom.UPSTREAM;
		}
		int colon = readFrom.indexOf(':');
		String name = (colon < 0) ? readFrom : readFrom.substring(0, colon);
		StringBuilder camel = new StringBuilder();
		for (String part : name.split("-")) {
			camel.append(camel.isEmpty() ? part : StringUtils.capitalize(part));
		}
		return ReadFrom.valueOf((colon < 0) ? camel.toString() : camel + readFrom.substring(colon));
	}

	/** Where the bus's Redis is: a sentinel master, a cluster, or one server (by URL or host). */
	static RedisConfiguration server(DataRedisProperties properties) {
		DataRedisProperties.Sentinel sentinel = properties.getSentinel();
		DataRedisProperties.Cluster cluster = properties.getCluster();
		String master = (sentinel != null) ? sentinel.getMaster() : null;
		if (sentinel != null && master != null) {
			return sentinel(properties, sentinel, master);
		}
		List<String> nodes = (cluster != null) ? cluster.getNodes() : null;
		if (cluster != null && nodes != null && !nodes.isEmpty()) {
			return cluster(properties, cluster, nodes);
		}
		return standalone(properties,
				StringUtils.hasText(properties.getUrl()) ? URI.create(properties.getUrl()) : null);
	}

	private static RedisSentinelConfiguration sentinel(DataRedisProperties properties,
			DataRedisProperties.Sentinel sentinel, String master) {
		RedisSentinelConfiguration config = new RedisSentinelConfiguration();
		config.master(master);
		config.setSentinels(nodes(sentinel.getNodes()));
		config.setDatabase(properties.getDatabase());
		config.setUsername(properties.getUsername());
		config.setPassword(RedisPassword.of(properties.getPassword()));
		config.setSentinelUsername(sentinel.getUsername());
		config.setSentinelPassword(RedisPassword.of(sentinel.getPassword()));
		return config;
	}

	private static RedisClusterConfiguration cluster(DataRedisProperties properties,
			DataRedisProperties.Cluster cluster, List<String> nodes) {
		RedisClusterConfiguration config = new RedisClusterConfiguration(nodes);
		if (cluster.getMaxRedirects() != null) {
			config.setMaxRedirects(cluster.getMaxRedirects());
		}
		config.setUsername(properties.getUsername());
		config.setPassword(RedisPassword.of(properties.getPassword()));
		return config;
	}

	private static RedisStandaloneConfiguration standalone(DataRedisProperties properties, @Nullable URI uri) {
		RedisStandaloneConfiguration config = new RedisStandaloneConfiguration();
		if (uri != null) {
			// As Spring Boot reads spring.data.redis.url: redis[s]://[[user]:password@]host[:port][/database]
			config.setHostName(uri.getHost());
			config.setPort((uri.getPort() != -1) ? uri.getPort() : properties.getPort());
			String path = uri.getPath();
			config.setDatabase((path != null && path.length() > 1) ? Integer.parseInt(path.substring(1))
					: properties.getDatabase());
			String userInfo = uri.getUserInfo();
			if (userInfo != null) {
				int colon = userInfo.indexOf(':');
				config.setUsername((colon > 0) ? userInfo.substring(0, colon) : null);
				config.setPassword(RedisPassword.of((colon >= 0) ? userInfo.substring(colon + 1) : userInfo));
			}
		}
		else {
			config.setHostName(properties.getHost());
			config.setPort(properties.getPort());
			config.setDatabase(properties.getDatabase());
			config.setUsername(properties.getUsername());
			config.setPassword(RedisPassword.of(properties.getPassword()));
		}
		return config;
	}

	private static ClientOptions clientOptions(boolean cluster, @Nullable Duration connectTimeout) {
		ClientOptions.Builder builder = cluster
				? ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopology.refreshOptions(true))
				: ClientOptions.builder();
		builder.timeoutOptions(TimeoutOptions.enabled());
		if (connectTimeout != null) {
			builder.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build());
		}
		return builder.build();
	}

	private static List<RedisNode> nodes(@Nullable List<String> nodes) {
		return (nodes != null) ? nodes.stream().map(RedisNode::fromString).toList() : List.of();
	}

}
