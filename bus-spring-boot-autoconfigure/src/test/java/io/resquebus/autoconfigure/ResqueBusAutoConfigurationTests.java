package io.resquebus.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.resquebus.BusSettings;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.autoconfigure.embedded.EmbeddedRedisAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusDriverAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusRecoveryAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusSchedulerAutoConfiguration;
import io.resquebus.autoconfigure.runner.BusWorkerAutoConfiguration;
import io.resquebus.driver.DriverRunner;
import io.resquebus.driver.Heartbeat;
import io.resquebus.driver.StandaloneTransport;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import io.resquebus.publish.BusOperations;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.EventTransport;
import io.resquebus.publish.InlineTransport;
import io.resquebus.publish.QueuedTransport;
import io.resquebus.redis.BusRedis;
import io.resquebus.retry.BusExceptionClassifier;
import io.resquebus.retry.BusRetryPolicies;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MissingAppKeyException;
import io.resquebus.subscription.SubscriptionLifecycle;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.WireCodec;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the auto-configuration creates, when it backs off, and how it fails.
 */
class ResqueBusAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EmbeddedRedisAutoConfiguration.class, DataRedisAutoConfiguration.class,
				ResqueBusAutoConfiguration.class, BusDriverAutoConfiguration.class, BusWorkerAutoConfiguration.class,
				BusSchedulerAutoConfiguration.class, BusRecoveryAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.url=" + TestRedis.shared().url(),
				"resquebus.namespace=test-" + UUID.randomUUID().toString().substring(0, 8),
				"resquebus.driver.block-timeout=100ms", "resquebus.worker.block-timeout=100ms");

	@Test
	void createsTheTemplateAndEveryRunnerByDefault() {
		this.contextRunner.withPropertyValues("resquebus.app-key=app_a").run((context) -> {
			assertThat(context).hasSingleBean(BusTemplate.class)
				.hasSingleBean(DriverRunner.class)
				.hasSingleBean(WorkerRunner.class)
				.hasSingleBean(SchedulerRunner.class)
				.hasSingleBean(BusMaintenance.class)
				.hasSingleBean(SubscriptionLifecycle.class)
				.doesNotHaveBean(EmbeddedRedisServer.class);
			assertThat(context.getBean(AppSubscriptions.class).appKey()).isEqualTo("app_a");
			assertThat(context.getBean(BusSettings.class).keys().prefix()).startsWith("test-");
		});
	}

	@Test
	void leavesEachRunnerStoppedWhoseAutoStartupIsOff() {
		this.contextRunner
			.withPropertyValues("resquebus.app-key=app_a", "resquebus.worker.auto-startup=false",
					"resquebus.scheduler.auto-startup=false")
			.run((context) -> {
				assertThat(context.getBean(DriverRunner.class).isRunning()).isTrue();
				assertThat(context.getBean(WorkerRunner.class).isRunning()).isFalse();
				assertThat(context.getBean(SchedulerRunner.class).isRunning()).isFalse();
				context.getBean(WorkerRunner.class).start();
				assertThat(context.getBean(WorkerRunner.class).isRunning()).isTrue();
			});
		this.contextRunner.withPropertyValues("resquebus.app-key=app_a", "resquebus.driver.auto-startup=false")
			.run((context) -> assertThat(context.getBean(DriverRunner.class).isRunning()).isFalse());
	}

	@Test
	void theSchedulerRunsTheMinuteHeartbeatUnlessSwitchedOff() {
		this.contextRunner.withPropertyValues("resquebus.app-key=app_a", "resquebus.heartbeat.zone=Europe/Paris",
				"resquebus.heartbeat.environment=development")
			.run((context) -> {
				Heartbeat heartbeat = context.getBean(SchedulerRunner.class).heartbeat();
				assertThat(heartbeat).isNotNull();
				// the zone and the catch-up limit are internals of the heartbeat: read from its fields
				assertThat(heartbeat).extracting("zone").isEqualTo(ZoneId.of("Europe/Paris"));
				assertThat(heartbeat).extracting("development").isEqualTo(true);
			});
		this.contextRunner.withPropertyValues("resquebus.app-key=app_a", "resquebus.heartbeat.environment=production")
			.run((context) -> assertThat(context.getBean(SchedulerRunner.class).heartbeat())
				.extracting("development")
				.isEqualTo(false));
		this.contextRunner.withPropertyValues("resquebus.app-key=app_a", "resquebus.scheduler.heartbeat=false")
			.run((context) -> assertThat(context.getBean(SchedulerRunner.class).heartbeat()).isNull());
	}

	@Test
	void sendsEventsThroughTheIncomingQueueAndADriverByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(EventTransport.class)).isExactlyInstanceOf(QueuedTransport.class);
			assertThat(context).hasSingleBean(DriverRunner.class);
		});
	}

	@Test
	void runsNoDriverInStandaloneModeUnlessAskedTo() {
		this.contextRunner.withPropertyValues("resquebus.local-mode=standalone").run((context) -> {
			assertThat(context.getBean(EventTransport.class)).isInstanceOf(StandaloneTransport.class);
			assertThat(context).doesNotHaveBean(DriverRunner.class)
				.hasSingleBean(WorkerRunner.class)
				.hasSingleBean(SubscriptionRegistry.class);
		});
		this.contextRunner.withPropertyValues("resquebus.local-mode=standalone", "resquebus.driver.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DriverRunner.class));
	}

	@Test
	void usesNoRedisInInlineModeEvenWhenAConnectionFactoryExists() {
		this.contextRunner.withPropertyValues("resquebus.local-mode=inline").run((context) -> {
			assertThat(context).hasSingleBean(RedisConnectionFactory.class)
				.hasSingleBean(BusTemplate.class)
				.doesNotHaveBean(BusRedis.class)
				.doesNotHaveBean(SubscriptionRegistry.class)
				.doesNotHaveBean(DriverRunner.class)
				.doesNotHaveBean(WorkerRunner.class)
				.doesNotHaveBean(SchedulerRunner.class);
			assertThat(context.getBean(EventTransport.class)).isInstanceOf(InlineTransport.class);
		});
	}

	@Test
	void backsOffWhenTheUserDefinesTheirOwnBusOperations() {
		this.contextRunner.withUserConfiguration(UserTemplateConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(BusOperations.class).doesNotHaveBean(BusTemplate.class);
			assertThat(context.getBean(BusOperations.class).publish("x", Map.of())).isEqualTo("mine");
		});
	}

	@Test
	void createsNoRunnerThatIsSwitchedOff() {
		this.contextRunner
			.withPropertyValues("resquebus.driver.enabled=false", "resquebus.worker.enabled=false",
					"resquebus.scheduler.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(BusTemplate.class)
				.doesNotHaveBean(DriverRunner.class)
				.doesNotHaveBean(WorkerRunner.class)
				.doesNotHaveBean(SchedulerRunner.class));
	}

	@Test
	void registersNoSubscriptionsWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("resquebus.app-key=app_a", "resquebus.register-subscriptions=false")
			.run((context) -> assertThat(context).hasSingleBean(AppSubscriptions.class)
				.doesNotHaveBean(SubscriptionLifecycle.class));
	}

	@Test
	void limitsThePayloadSizeOfDriverAndWorker() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(DriverRunner.class).maxPayloadSize()).isEqualTo(10 * 1024 * 1024);
			assertThat(context.getBean(WorkerRunner.class).maxPayloadSize()).isEqualTo(10 * 1024 * 1024);
		});
		this.contextRunner.withPropertyValues("resquebus.driver.max-payload-size=0", "resquebus.worker.max-payload-size=64KB")
			.run((context) -> {
				assertThat(context.getBean(DriverRunner.class).maxPayloadSize()).isZero();
				assertThat(context.getBean(WorkerRunner.class).maxPayloadSize()).isEqualTo(64 * 1024);
			});
	}

	@Test
	void retriesWithResqueRetrysDelaysByDefault() {
		this.contextRunner.run((context) -> {
			RetryPolicy policy = context.getBean(WorkerRunner.class).retryPolicy();
			assertThat(policy).isNotNull();
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 1)).hasSeconds(60);
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 5)).hasHours(6);
			assertThat(BusRetryPolicies.delayBeforeRetry(policy, 6)).isNull();
			assertThat(context.getBean(WorkerRunner.class).exceptionClassifier())
				.isSameAs(context.getBean(BusExceptionClassifier.class));
		});
	}

	@Test
	void buildsTheRetryPolicyFromItsProperties() {
		this.contextRunner
			.withPropertyValues("resquebus.retry.max-attempts=3", "resquebus.retry.delay=5s",
					"resquebus.retry.multiplier=3", "resquebus.retry.max-delay=10s")
			.run((context) -> {
				RetryPolicy policy = context.getBean(WorkerRunner.class).retryPolicy();
				assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).hasSeconds(5);
				assertThat(BusRetryPolicies.delayBeforeRetry(policy, 1)).hasSeconds(10);
				assertThat(BusRetryPolicies.delayBeforeRetry(policy, 2)).isNull();
			});
		this.contextRunner.withPropertyValues("resquebus.retry.delays=0s,2s", "resquebus.retry.max-attempts=4")
			.run((context) -> {
				RetryPolicy policy = context.getBean(WorkerRunner.class).retryPolicy();
				assertThat(BusRetryPolicies.delayBeforeRetry(policy, 0)).isZero();
				assertThat(BusRetryPolicies.delayBeforeRetry(policy, 2)).hasSeconds(2);
				assertThat(BusRetryPolicies.delayBeforeRetry(policy, 3)).isNull();
			});
		this.contextRunner.withPropertyValues("resquebus.retry.enabled=false")
			.run((context) -> assertThat(context.getBean(WorkerRunner.class).retryPolicy()).isNull());
	}

	@Test
	void usesTheUsersExceptionClassifier() {
		BusExceptionClassifier classifier = new BusExceptionClassifier();
		this.contextRunner.withBean(BusExceptionClassifier.class, () -> classifier)
			.run((context) -> assertThat(context.getBean(WorkerRunner.class).exceptionClassifier())
				.isSameAs(classifier));
	}

	@Test
	void keepsBlockingFetchesWellBelowTheRedisCommandTimeout() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.timeout=1s", "resquebus.driver.block-timeout=5s",
					"resquebus.worker.block-timeout=200ms")
			.run((context) -> {
				assertThat(context.getBean(DriverRunner.class).blockTimeout()).isEqualTo(Duration.ofMillis(500));
				assertThat(context.getBean(WorkerRunner.class).blockTimeout()).isEqualTo(Duration.ofMillis(200));
			});
	}

	@Test
	void failsNamingThePropertyWhenSubscribersExistButTheAppKeyIsMissing() {
		this.contextRunner.withUserConfiguration(SubscriberConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(rootCause(context.getStartupFailure())).isInstanceOf(MissingAppKeyException.class);
			MissingAppKeyException cause = (MissingAppKeyException) rootCause(context.getStartupFailure());
			FailureAnalysis analysis = new MissingAppKeyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'resquebus.app-key'").contains("Subscriber.onUserCreated");
			assertThat(analysis.getAction()).contains("resquebus.app-key: my_app");
			assertThat(cause.sources()).containsExactly("Subscriber.onUserCreated");
		});
	}

	@Test
	void startsWithoutAnAppKeyWhenTheAppOnlyPublishes() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(BusTemplate.class));
	}

	@Test
	void failsNamingTheMethodWhenASubscriberSignatureCannotBeServed() {
		this.contextRunner.withPropertyValues("resquebus.app-key=app_a")
			.withUserConfiguration(BadSubscriberConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure()))
					.hasMessageContaining("BadSubscriber.onUserCreated(java.lang.String,int)");
			});
	}

	@Test
	void readsTheWireWithItsOwnJsonMapperNotTheApplicationsPrimaryOne() {
		this.contextRunner.withUserConfiguration(PrimaryJsonMapperConfiguration.class).run((context) -> {
			JsonMapper applicationMapper = context.getBean(JsonMapper.class);
			WireCodec codec = context.getBean(WireCodec.class);
			assertThat(context.getBeansOfType(JsonMapper.class)).hasSize(1);
			assertThat(codec.mapper()).isNotSameAs(applicationMapper);
			assertThat(codec.mapper().serializationConfig().getPropertyNamingStrategy()).isNull();
		});
	}

	@Test
	void appliesJsonMapperCustomizersToTheBusMapper() {
		this.contextRunner.withBean(ResqueBusJsonMapperCustomizer.class,
				() -> (builder) -> builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
			.run((context) -> assertThat(context.getBean(WireCodec.class).mapper().serializationConfig().getPropertyNamingStrategy())
				.isSameAs(PropertyNamingStrategies.SNAKE_CASE));
	}

	@Test
	void startsAnEmbeddedRedisWhenNoRedisIsConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EmbeddedRedisAutoConfiguration.class,
					DataRedisAutoConfiguration.class, ResqueBusAutoConfiguration.class))
			.withPropertyValues("resquebus.namespace=test-embedded")
			.run((context) -> {
				EmbeddedRedisServer server = context.getBean(EmbeddedRedisServer.class);
				assertThat(server.isRunning()).isTrue();
				assertThat(server.port()).isNotEqualTo(6379);
				RedisConnectionFactory factory = context.getBean(RedisConnectionFactory.class);
				try (var connection = factory.getConnection()) {
					assertThat(connection.ping()).isEqualTo("PONG");
				}
				String busId = context.getBean(BusTemplate.class).publish("user_created", Map.of("id", 1));
				assertThat(busId).isNotBlank();
			});
	}

	@Test
	void usesTheConfiguredRedisInsteadOfAnEmbeddedOne() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(EmbeddedRedisServer.class));
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplateConfiguration {

		@Bean
		BusOperations myBus() {
			return new FixedIdBus();
		}

	}

	static class FixedIdBus implements BusOperations {

		@Override
		public String publish(String eventType, Map<String, ?> attributes) {
			return "mine";
		}

		@Override
		public String publish(Object event) {
			return "mine";
		}

		@Override
		public List<String> publishAll(Collection<?> events) {
			return events.stream().map((event) -> "mine").toList();
		}

		@Override
		public String publishAt(Instant when, String eventType, Map<String, ?> attributes) {
			return "mine";
		}

		@Override
		public String publishIn(Duration delay, String eventType, Map<String, ?> attributes) {
			return "mine";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SubscriberConfiguration {

		@Bean
		Subscriber subscriber() {
			return new Subscriber();
		}

	}

	static class Subscriber {

		@BusSubscriber("user_created")
		void onUserCreated() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadSubscriberConfiguration {

		@Bean
		BadSubscriber badSubscriber() {
			return new BadSubscriber();
		}

	}

	static class BadSubscriber {

		@BusSubscriber("user_created")
		void onUserCreated(String name, int age) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryJsonMapperConfiguration {

		@Bean
		@Primary
		JsonMapper applicationJsonMapper() {
			return JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).build();
		}

	}

}
