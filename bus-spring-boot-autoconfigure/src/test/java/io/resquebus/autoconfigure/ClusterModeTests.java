package io.resquebus.autoconfigure;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.resquebus.autoconfigure.cluster.BusClusterAutoConfiguration;
import io.resquebus.autoconfigure.cluster.ClusterModeCheck;
import io.resquebus.autoconfigure.cluster.ClusterTopology;
import io.resquebus.redis.BusRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What switches the bus to Redis Cluster mode, what it refuses at start, and the topology
 * refresh it sets, on a local cluster.
 */
@EnabledIf("io.resquebus.autoconfigure.TestCluster#available")
class ClusterModeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class,
				BusClusterAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.cluster.nodes=" + TestCluster.nodes(), "resquebus.app-key=cluster_app");

	@Test
	void runsInClusterModeWithSpringBootsClusterProperties() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(BusRedis.class).cluster()).isTrue();
			assertThat(context.getBean(ClusterModeCheck.class).cluster()).isTrue();
			ClusterTopologyRefreshOptions refresh = refreshOf(context.getBean(LettuceConnectionFactory.class));
			assertThat(refresh.getAdaptiveRefreshTriggers()).isNotEmpty();
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(ClusterTopology.PERIOD);
		});
	}

	@Test
	void runsInClusterModeWithTheBusOwnClusterProperties() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class,
					BusClusterAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=" + io.resquebus.embedded.TestRedis.shared().url(),
					"resquebus.redis.cluster.nodes=" + TestCluster.nodes(), "resquebus.app-key=cluster_app")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				BusRedis redis = context.getBean(BusRedis.class);
				assertThat(redis.cluster()).isTrue();
				assertThat(refreshOf((LettuceConnectionFactory) redis.connectionFactory()).isPeriodicRefreshEnabled())
					.isTrue();
			});
	}

	@Test
	void keepsTheTopologyRefreshTheApplicationConfigured() {
		this.contextRunner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.period=5m").run((context) -> {
			ClusterTopologyRefreshOptions refresh = refreshOf(context.getBean(LettuceConnectionFactory.class));
			assertThat(refresh.getRefreshPeriod()).hasMinutes(5);
		});
	}

	@Test
	void refusesANamespaceWithBraces() {
		this.contextRunner.withPropertyValues("resquebus.namespace={resque}").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("resquebus.namespace '{resque}' contains '{' or '}'");
		});
	}

	@Test
	void refusesAnAppKeyWithBraces() {
		this.contextRunner.withPropertyValues("resquebus.app-key=app}").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("resquebus.app-key 'app}' contains '{' or '}'");
		});
	}

	@Test
	void refusesTheStandaloneLocalMode() {
		this.contextRunner.withPropertyValues("resquebus.local-mode=standalone").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("resquebus.local-mode=standalone");
		});
	}

	@Test
	void staysInStandaloneModeOnOneRedis() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class,
					BusClusterAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=" + io.resquebus.embedded.TestRedis.shared().url(),
					"resquebus.app-key=app{x}")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ClusterModeCheck.class).cluster()).isFalse();
			});
	}

	private static ClusterTopologyRefreshOptions refreshOf(LettuceConnectionFactory factory) {
		return ((ClusterClientOptions) factory.getClientConfiguration().getClientOptions().orElseThrow())
			.getTopologyRefreshOptions();
	}

}
