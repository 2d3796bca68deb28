package io.resquebus.autoconfigure;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Fails the start on a {@code resquebus.redis.*} property the bus does not read: that prefix
 * reuses Spring Boot's {@code DataRedisProperties}, so it accepts (and IDEs list) SSL bundles,
 * pools, master/replica and listener settings the bus's own Lettuce factory never
 * uses. Silently ignoring them would leave the bus on settings its operator did not choose.
 */
final class UnsupportedBusRedisProperties {

	/** What {@link BusRedisConnectionFactories} does not read. */
	static final List<String> UNSUPPORTED = List.of("resquebus.redis.ssl.bundle", "resquebus.redis.client-type",
			"resquebus.redis.masterreplica", "resquebus.redis.jedis", "resquebus.redis.lettuce.pool",
			"resquebus.redis.lettuce.cluster", "resquebus.redis.lettuce.shutdown-timeout", "resquebus.redis.listener");

	private UnsupportedBusRedisProperties() {
	}

	/** @throws IllegalStateException naming the first unsupported property set */
	static void check(Environment environment) {
		Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
		for (String unsupported : UNSUPPORTED) {
			ConfigurationPropertyName prefix = ConfigurationPropertyName.of(unsupported);
			find(sources, prefix).ifPresent((name) -> {
				throw new IllegalStateException(name + " is set, but the bus's own Redis does not use it: "
						+ "resquebus.redis takes url, host, port, database, username, password, ssl.enabled, "
						+ "timeout, connect-timeout, client-name, lettuce.read-from, sentinel.* and cluster.* only. "
						+ "Remove it, or give the bus a RedisConnectionFactory bean named '"
						+ ResqueBusAutoConfiguration.BUS_REDIS_CONNECTION_FACTORY + "'");
			});
		}
	}

	private static Optional<String> find(Iterable<ConfigurationPropertySource> sources,
			ConfigurationPropertyName prefix) {
		for (ConfigurationPropertySource source : sources) {
			if (source.getConfigurationProperty(prefix) != null) {
				return Optional.of(prefix.toString());
			}
			if (source instanceof IterableConfigurationPropertySource iterable) {
				try (Stream<ConfigurationPropertyName> names = iterable.stream()) {
					Optional<ConfigurationPropertyName> found = names.filter(prefix::isAncestorOf).findFirst();
					if (found.isPresent()) {
						return found.map(ConfigurationPropertyName::toString);
					}
				}
			}
		}
		return Optional.empty();
	}

}
