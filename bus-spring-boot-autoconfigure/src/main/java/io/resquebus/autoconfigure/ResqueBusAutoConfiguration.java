package io.resquebus.autoconfigure;

import java.time.Clock;

import io.resquebus.BusIdGenerator;
import io.resquebus.BusSettings;
import io.resquebus.annotation.BusSubscriberAnnotationBeanPostProcessor;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.SubscriptionLifecycle;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configuration of the bus: its settings, Redis access, the {@link BusTemplate}, this
 * app's subscriptions and the scanning of {@code @BusSubscriber} methods. The runners have
 * auto-configurations of their own.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnClass(BusTemplate.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties(ResqueBusProperties.class)
public final class ResqueBusAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WireCodec resqueBusWireCodec(ObjectProvider<ResqueBusJsonMapperCustomizer> customizers) {
		JsonMapper.Builder builder = WireCodec.defaultMapperBuilder();
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return new WireCodec(builder.build());
	}

	@Bean
	@ConditionalOnMissingBean
	BusSettings resqueBusSettings(ResqueBusProperties properties, WireCodec codec,
			ObjectProvider<BusIdGenerator> idGenerator, ObjectProvider<Clock> clock) {
		String hostname = (properties.getHostname() != null) ? properties.getHostname() : BusSettings.localHostname();
		return new BusSettings(new BusKeys(properties.getNamespace()), codec, hostname,
				clock.getIfUnique(Clock::systemDefaultZone), idGenerator.getIfUnique(() -> BusIdGenerator.DEFAULT));
	}

	@Bean
	@ConditionalOnMissingBean
	BusRedis resqueBusRedis(RedisConnectionFactory connectionFactory) {
		return new BusRedis(connectionFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	SubscriptionRegistry resqueBusSubscriptionRegistry(BusRedis redis, BusSettings settings,
			ResqueBusProperties properties) {
		return new SubscriptionRegistry(redis, settings.keys(), settings.codec(), properties.getRegistryCacheTtl(),
				settings.clock());
	}

	@Bean
	@ConditionalOnMissingBean
	AppSubscriptions resqueBusAppSubscriptions(ResqueBusProperties properties) {
		return new AppSubscriptions(properties.getAppKey());
	}

	@Bean
	static BusSubscriberAnnotationBeanPostProcessor resqueBusSubscriberAnnotationBeanPostProcessor() {
		return new BusSubscriberAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean(BusOperations.class)
	BusTemplate busTemplate(BusRedis redis, BusSettings settings) {
		return new BusTemplate(redis, settings);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "resquebus.register-subscriptions", matchIfMissing = true)
	SubscriptionLifecycle resqueBusSubscriptionLifecycle(SubscriptionRegistry registry,
			AppSubscriptions subscriptions) {
		return new SubscriptionLifecycle(registry, subscriptions);
	}

}
