package io.resquebus.autoconfigure;

import java.util.List;

import io.lettuce.core.ReadFrom;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind Sentinel, the bus's connections read and write the master through a Lettuce
 * Master/Replica connection that follows a failover, unless a {@code read-from} was chosen.
 */
class BusSentinelReadFromTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, BusSentinelAutoConfiguration.class));

	@Test
	void applicationSentinelConnectionUsesTheMasterThroughSentinel() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:26379")
			.run((context) -> assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration()
				.getReadFrom()).contains(ReadFrom.UPSTREAM));
	}

	@Test
	void applicationSentinelConnectionKeepsAChosenReadFrom() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.sentinel.master=mymaster",
					"spring.data.redis.sentinel.nodes=127.0.0.1:26379",
					"spring.data.redis.lettuce.read-from=replica-preferred")
			.run((context) -> assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration()
				.getReadFrom()).contains(ReadFrom.REPLICA_PREFERRED));
	}

	@Test
	void applicationConnectionWithoutSentinelIsLeftAlone() {
		this.contextRunner.withPropertyValues("spring.data.redis.host=127.0.0.1").run((context) -> {
			assertThat(context).doesNotHaveBean("resqueBusSentinelReadFromUpstream");
			assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getReadFrom())
				.isEmpty();
		});
	}

	@Test
	void busOwnSentinelConnectionUsesTheMasterUnlessReadFromIsChosen() {
		DataRedisProperties properties = new DataRedisProperties();
		properties.setSentinel(new DataRedisProperties.Sentinel());
		properties.getSentinel().setMaster("bus-master");
		properties.getSentinel().setNodes(List.of("10.0.0.1:26379"));
		assertThat(BusRedisConnectionFactories.create(properties, null).getClientConfiguration().getReadFrom())
			.contains(ReadFrom.UPSTREAM);
		properties.getLettuce().setReadFrom("replica-preferred");
		assertThat(BusRedisConnectionFactories.create(properties, null).getClientConfiguration().getReadFrom())
			.contains(ReadFrom.REPLICA_PREFERRED);
	}

	@Test
	void busOwnStandaloneConnectionHasNoReadFrom() {
		DataRedisProperties properties = new DataRedisProperties();
		properties.setUrl("redis://10.0.0.1:6379");
		assertThat(BusRedisConnectionFactories.create(properties, null).getClientConfiguration().getReadFrom())
			.isEmpty();
	}

}
