package io.resquebus.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.BusIdGenerator;
import io.resquebus.BusSettings;
import io.resquebus.annotation.BusSubscriberAnnotationBeanPostProcessor;
import io.resquebus.autoconfigure.ResqueBusProperties.LocalMode;
import io.resquebus.autoconfigure.outbox.BusOutbox;
import io.resquebus.driver.StandaloneTransport;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.EventTransport;
import io.resquebus.publish.InlineTransport;
import io.resquebus.publish.QueuedTransport;
import io.resquebus.publish.TransactionalTransport;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.SubscriptionLifecycle;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import tools.jackson.databind.json.JsonMapper;

import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of the bus: its settings, this app's subscriptions, the scanning of
 * {@code @BusSubscriber} methods and the {@link BusTemplate}, whose {@link EventTransport}
 * follows {@code resquebus.local-mode}. The {@code queued} and {@code standalone} modes need a
 * {@link RedisConnectionFactory} and also get Redis access and the registry; {@code inline} needs
 * no Redis at all. The runners have auto-configurations of their own.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnClass(BusTemplate.class)
@Conditional(ResqueBusAutoConfiguration.RedisOrInlineCondition.class)
@EnableConfigurationProperties(ResqueBusProperties.class)
public final class ResqueBusAutoConfiguration {

	static final String LOCAL_MODE = "resquebus.local-mode";

	/** The name (and qualifier) of the bus's own connection factory, from {@code resquebus.redis.*}. */
	public static final String BUS_REDIS_CONNECTION_FACTORY = "resqueBusRedisConnectionFactory";

	private static final Log logger = LogFactory.getLog(ResqueBusAutoConfiguration.class);

	/** Spring Boot's name for its {@code RedisConnectionFactory}: the bus's choice among several. */
	static final String BOOT_REDIS_CONNECTION_FACTORY = "redisConnectionFactory";

	@Bean
	@ConditionalOnMissingBean
	WireCodec resqueBusWireCodec(ObjectProvider<ResqueBusJsonMapperCustomizer> customizers) {
		List<ResqueBusJsonMapperCustomizer> all = customizers.orderedStream().toList();
		if (all.isEmpty()) {
			return new WireCodec(); // the default mapper, which lets the codec read events in one pass
		}
		JsonMapper.Builder builder = WireCodec.defaultMapperBuilder();
		all.forEach((customizer) -> customizer.customize(builder));
		return new WireCodec(builder.build());
	}

	@Bean
	@ConditionalOnMissingBean
	BusSettings resqueBusSettings(ResqueBusProperties properties, WireCodec codec,
			ObjectProvider<BusIdGenerator> idGenerator, ObjectProvider<Clock> clock) {
		String hostname = (properties.getHostname() != null) ? properties.getHostname() : BusSettings.localHostname();
		return new BusSettings(keys(properties), codec, hostname,
				clock.getIfUnique(Clock::systemDefaultZone), idGenerator.getIfUnique(() -> BusIdGenerator.DEFAULT));
	}

	private static BusKeys keys(ResqueBusProperties properties) {
		int partitions = properties.getDriver().getPartitions();
		if (partitions < 1 || partitions > BusKeys.MAX_PARTITIONS) {
			throw new IllegalStateException("resquebus.driver.partitions must be 1 to " + BusKeys.MAX_PARTITIONS
					+ " (1 is Ruby's single bus_incoming), was " + partitions);
		}
		BusKeys keys = new BusKeys(properties.getNamespace(), partitions);
		if (partitions > 1) {
			logger.warn("resquebus.driver.partitions=" + partitions + ": events are spread over "
					+ keys.incomingQueues() + "; Ruby drivers read only bus_incoming, so only Java drivers with the "
					+ "same partitions may drive this bus, and every Java publisher must use the same partitions");
		}
		return keys;
	}

	@Bean
	@ConditionalOnMissingBean
	AppSubscriptions resqueBusAppSubscriptions(ResqueBusProperties properties) {
		AppSubscriptions subscriptions = new AppSubscriptions(properties.getAppKey());
		// Its own budget, not the bean: listeners (metrics) need these subscriptions, and the bean needs listeners.
		subscriptions.setMatchBudget(new MatchBudget(properties.getMatching().getStepBudget()));
		return subscriptions;
	}

	@Bean
	@ConditionalOnMissingBean
	MatchBudget resqueBusMatchBudget(ResqueBusProperties properties) {
		return new MatchBudget(properties.getMatching().getStepBudget());
	}

	@Bean
	static BusSubscriberAnnotationBeanPostProcessor resqueBusSubscriberAnnotationBeanPostProcessor() {
		return new BusSubscriberAnnotationBeanPostProcessor();
	}

	/**
	 * Synchronous subscribers of this app run in the publishing thread (not relevant inline).
	 * Unless {@code resquebus.publish.transactional=false}, a publish in a transaction is sent
	 * after the commit (inline runs its handlers at once, as it always does), through the
	 * transactional outbox when Spring Modulith's event publication registry provides one.
	 */
	@Bean
	@ConditionalOnMissingBean(BusOperations.class)
	BusTemplate busTemplate(BusSettings settings, EventTransport transport, AppSubscriptions subscriptions,
			ResqueBusProperties properties, ObjectProvider<BusOutbox> outbox) {
		EventTransport sending = transport;
		if (properties.getPublish().isTransactional() && !transport.runsLocalHandlers()) {
			BusOutbox registry = outbox.getIfAvailable();
			sending = (registry != null) ? registry.transport() : new TransactionalTransport(transport);
		}
		return new BusTemplate(settings, sending, Map.of(), subscriptions);
	}

	/**
	 * The {@code queued} and {@code standalone} local modes, on Redis.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(RedisConnectionFactory.class)
	@Conditional(NotInlineCondition.class)
	static class RedisModeConfiguration {

		/**
		 * The bus's own factory ({@code resquebus.redis.*}) when there is one; else the
		 * application's: the only one or the {@code @Primary} one, else among several the one
		 * named {@code redisConnectionFactory} (Spring Boot's own), as Boot's Redis repositories
		 * and session support pick theirs.
		 */
		@Bean
		@ConditionalOnMissingBean
		BusRedis resqueBusRedis(
				@Qualifier(BUS_REDIS_CONNECTION_FACTORY) ObjectProvider<RedisConnectionFactory> own,
				ObjectProvider<RedisConnectionFactory> application, ListableBeanFactory beans,
				Environment environment) {
			UnsupportedBusRedisProperties.check(environment);
			RedisConnectionFactory factory = own.getIfAvailable();
			if (factory == null) {
				factory = application.getIfUnique();
			}
			if (factory == null && beans.containsBean(BOOT_REDIS_CONNECTION_FACTORY)
					&& beans.isTypeMatch(BOOT_REDIS_CONNECTION_FACTORY, RedisConnectionFactory.class)) {
				factory = beans.getBean(BOOT_REDIS_CONNECTION_FACTORY, RedisConnectionFactory.class);
				logger.info("The bus uses the RedisConnectionFactory bean '" + BOOT_REDIS_CONNECTION_FACTORY
						+ "' of " + List.of(beans.getBeanNamesForType(RedisConnectionFactory.class))
						+ " (none is @Primary); set resquebus.redis.* to give it a Redis of its own");
			}
			if (factory == null) {
				throw new IllegalStateException("The bus cannot choose among the RedisConnectionFactory beans "
						+ List.of(beans.getBeanNamesForType(RedisConnectionFactory.class))
						+ ": give it its own Redis with resquebus.redis.url (or host, sentinel.*, cluster.*), name"
						+ " one of them '" + BUS_REDIS_CONNECTION_FACTORY + "' or '" + BOOT_REDIS_CONNECTION_FACTORY
						+ "', or mark one @Primary");
			}
			return new BusRedis(factory);
		}

		/**
		 * Not a candidate for injection by type, so that the application's own
		 * {@code RedisConnectionFactory} stays the one its beans (and Spring Boot's) get.
		 */
		@Bean(name = BUS_REDIS_CONNECTION_FACTORY, defaultCandidate = false)
		@Conditional(OwnRedisCondition.class)
		@ConditionalOnMissingBean(name = BUS_REDIS_CONNECTION_FACTORY)
		LettuceConnectionFactory resqueBusRedisConnectionFactory(ResqueBusProperties properties,
				ObjectProvider<ClientResources> clientResources) {
			return BusRedisConnectionFactories.create(properties.getRedis(), clientResources.getIfUnique());
		}

		/** Off with the registration, in tests that record what is published rather than use Redis. */
		@Bean
		@ConditionalOnBooleanProperty(name = "resquebus.register-subscriptions", matchIfMissing = true)
		BusRedisVersionCheck resqueBusRedisVersionCheck(BusRedis redis) {
			return new BusRedisVersionCheck(redis);
		}

		@Bean
		@ConditionalOnMissingBean
		SubscriptionRegistry resqueBusSubscriptionRegistry(BusRedis redis, BusSettings settings,
				ResqueBusProperties properties) {
			return new SubscriptionRegistry(redis, settings.keys(), settings.codec(),
					properties.getRegistryCacheTtl(), settings.clock());
		}

		@Bean
		@ConditionalOnMissingBean
		EventTransport resqueBusEventTransport(BusRedis redis, BusSettings settings, SubscriptionRegistry registry,
				ResqueBusProperties properties, MatchBudget matchBudget) {
			Duration timeout = properties.getPublish().getTimeout();
			if (properties.getLocalMode() != LocalMode.STANDALONE) {
				return new QueuedTransport(redis, settings, timeout);
			}
			StandaloneTransport transport = new StandaloneTransport(redis, settings, registry, timeout);
			transport.setMatchBudget(matchBudget);
			return transport;
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "resquebus.register-subscriptions", matchIfMissing = true)
		SubscriptionLifecycle resqueBusSubscriptionLifecycle(SubscriptionRegistry registry,
				AppSubscriptions subscriptions) {
			return new SubscriptionLifecycle(registry, subscriptions);
		}

	}

	/**
	 * The {@code inline} local mode: no Redis, no registry, no runners.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = LOCAL_MODE, havingValue = "inline")
	static class InlineModeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventTransport resqueBusEventTransport(BusSettings settings, AppSubscriptions subscriptions) {
			return new InlineTransport(settings, subscriptions);
		}

	}

	/** A Redis connection factory to work with, or the inline mode, which needs none. */
	static final class RedisOrInlineCondition extends AnyNestedCondition {

		RedisOrInlineCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(RedisConnectionFactory.class)
		static class OnRedis {

		}

		@ConditionalOnProperty(name = LOCAL_MODE, havingValue = "inline")
		static class OnInline {

		}

	}

	/** Any local mode but inline (which must not touch Redis even when a factory exists). */
	static final class NotInlineCondition extends NoneNestedConditions {

		NotInlineCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(name = LOCAL_MODE, havingValue = "inline")
		static class OnInline {

		}

	}

}
