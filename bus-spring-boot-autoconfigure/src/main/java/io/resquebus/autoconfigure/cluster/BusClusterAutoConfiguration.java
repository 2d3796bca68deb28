package io.resquebus.autoconfigure.cluster;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.ResqueBusAutoConfiguration;
import io.resquebus.autoconfigure.ResqueBusProperties;
import io.resquebus.redis.BusRedis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis Cluster mode, which the bus takes when its connection factory is a cluster's (from
 * {@code spring.data.redis.cluster.*} or {@code resquebus.redis.cluster.*}): every script and
 * multi-key command stays in one hash slot, and what must cross slots runs as ordered single-slot
 * steps. This configuration refuses at start what cannot work on a cluster and sets Lettuce's
 * topology refresh on Spring Boot's cluster client unless the application configured it.
 */
@AutoConfiguration(after = ResqueBusAutoConfiguration.class)
public final class BusClusterAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(BusClusterAutoConfiguration.class);

	@Bean
	@ConditionalOnBean({ BusRedis.class, BusSettings.class })
	static ClusterModeCheck resqueBusClusterModeCheck(BusRedis redis, BusSettings settings,
			ResqueBusProperties properties) {
		ClusterModeCheck check = new ClusterModeCheck(redis.cluster());
		if (check.cluster()) {
			check.verify(settings.keys().prefix(), properties.getNamespace(), properties.getAppKey(),
					properties.getLocalMode() == ResqueBusProperties.LocalMode.STANDALONE);
			logger.warn("ResqueBus runs in Redis Cluster mode: Ruby resque/queue-bus processes cannot share this"
					+ " cluster (their commands cross hash slots); only Java processes of this bus may use it");
		}
		return check;
	}

	/** Adaptive and periodic topology refresh for Spring Boot's cluster client, unless a refresh period is set. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ClusterClientOptions.class, LettuceClientOptionsBuilderCustomizer.class })
	@ConditionalOnProperty("spring.data.redis.cluster.nodes")
	static class TopologyRefreshConfiguration {

		@Bean
		LettuceClientOptionsBuilderCustomizer resqueBusClusterTopologyRefresh(DataRedisProperties properties) {
			return (builder) -> {
				DataRedisProperties.Lettuce.Cluster.Refresh refresh = properties.getLettuce().getCluster().getRefresh();
				if (builder instanceof ClusterClientOptions.Builder cluster && refresh.getPeriod() == null) {
					cluster.topologyRefreshOptions(ClusterTopology.refreshOptions(refresh.isDynamicRefreshSources()));
				}
			};
		}

	}

}
