package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.dispatch.BusDispatchConfigurer;
import io.resquebus.hook.BusErrorHandler;
import io.resquebus.hook.BusHandlerInterceptor;
import io.resquebus.publish.BusOperations;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interceptors around subscribers and error hooks after failures, in a Spring Boot app on a real
 * Redis; subscriber methods inherited from a superclass are found too.
 */
// Retries off: the hooks are checked against the failure entry of the first and only run.
@SpringBootTest(classes = HandlerHooksTests.App.class, properties = "resquebus.retry.enabled=false")
class HandlerHooksTests {

	static final String NAMESPACE = BusOnTestRedis.namespace("hooks");

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		BusOnTestRedis.register(registry, NAMESPACE, "hooks_app");
	}

	@Autowired
	BusOperations bus;

	@Autowired
	List<String> log;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void runsTheInterceptorsInOrderAroundTheHandler() {
		String id = this.bus.publish("order_placed", Map.of("id", 1));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.log.contains("after-audit " + id));
		assertThat(this.log).filteredOn((entry) -> entry.endsWith(id))
			.containsExactly("before-audit " + id, "before-tenant " + id, "placed " + id, "after-tenant " + id,
					"after-audit " + id);
	}

	@Test
	void leavesOutAnInterceptorTheSubscriptionSkips() {
		String id = this.bus.publish("order_shipped", Map.of("id", 2));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.log.contains("after-tenant " + id));
		assertThat(this.log).filteredOn((entry) -> entry.endsWith(id))
			.containsExactly("before-tenant " + id, "shipped " + id, "after-tenant " + id);
	}

	@Test
	void anInterceptorCanSkipTheHandlerAndTheJobCountsAsDone() {
		String id = this.bus.publish("order_placed", Map.of("id", 3, "blocked", true));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.log.contains("blocked " + id));
		await().atMost(Duration.ofSeconds(20)).until(() -> BusOnTestRedis.allQueuesDrained(this.redis, NAMESPACE));
		assertThat(this.log).filteredOn((entry) -> entry.endsWith(id))
			.containsExactly("before-audit " + id, "blocked " + id);
		assertThat(this.redis.opsForList().range(NAMESPACE + ":failed", 0, -1))
			.noneMatch((entry) -> entry.contains(id));
	}

	@Test
	void callsTheSubscriptionsOwnErrorHandlerThenTheGlobalOnesAfterTheFailureIsRecorded() {
		String id = this.bus.publish("order_failed", Map.of("id", 4));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.log.contains("global-error " + id));
		assertThat(this.log).filteredOn((entry) -> entry.endsWith(id))
			.containsExactly("before-audit " + id, "before-tenant " + id, "error-tenant " + id, "error-audit " + id,
					"own-error failed:true IllegalStateException " + id, "global-error " + id);
	}

	@Test
	void callsOnlyTheGlobalErrorHandlersForOtherSubscriptions() {
		String id = this.bus.publish("order_broken", Map.of("id", 5));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.log.contains("global-error " + id));
		assertThat(this.log).filteredOn((entry) -> entry.endsWith(id)).noneMatch((e) -> e.startsWith("own-error"));
	}

	@Test
	void runsTheInterceptorsAroundProgrammaticSubscriptionsToo() {
		String id = this.bus.publish("order_dispatched", Map.of("id", 7));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.log.contains("after-audit " + id));
		assertThat(this.log).filteredOn((entry) -> entry.endsWith(id))
			.containsExactly("before-audit " + id, "before-tenant " + id, "dispatched " + id, "after-tenant " + id,
					"after-audit " + id);
	}

	@Test
	void findsSubscriberMethodsInheritedFromASuperclass() {
		String id = this.bus.publish("order_inherited", Map.of("id", 6));
		await().atMost(Duration.ofSeconds(20)).until(() -> this.log.contains("inherited " + id));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		List<String> log() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		Handlers handlers(List<String> log) {
			return new Handlers(log);
		}

		@Bean
		BusDispatchConfigurer dispatch(List<String> log) {
			return (dispatch) -> dispatch.subscribe("order_dispatched", (event) -> log.add("dispatched " + event.id()));
		}

		@Bean
		@Order(2)
		BusHandlerInterceptor tenantInterceptor(List<String> log) {
			return new Recording("tenant", log);
		}

		@Bean
		@Order(1)
		BusHandlerInterceptor auditInterceptor(List<String> log) {
			return new Recording("audit", log) {

				@Override
				public boolean beforeHandle(BusEvent event, String subscriptionKey) throws Exception {
					super.beforeHandle(event, subscriptionKey);
					if (Boolean.TRUE.equals(event.attributes().get("blocked"))) {
						log.add("blocked " + event.id());
						return false;
					}
					return true;
				}

			};
		}

		@Bean
		BusErrorHandler ownErrorHandler(List<String> log, StringRedisTemplate redis) {
			return (job, error) -> {
				boolean recorded = redis.opsForList()
					.range(NAMESPACE + ":failed", 0, -1)
					.stream()
					.anyMatch((entry) -> entry.contains(job.event().id()));
				log.add("own-error failed:" + recorded + " " + error.getClass().getSimpleName() + " "
						+ job.event().id());
			};
		}

		@Bean
		BusErrorHandler globalErrorHandler(List<String> log) {
			return (job, error) -> log.add("global-error " + ((job.event() != null) ? job.event().id() : job.rawJob()));
		}

	}

	static class Recording implements BusHandlerInterceptor {

		private final String name;

		private final List<String> log;

		Recording(String name, List<String> log) {
			this.name = name;
			this.log = log;
		}

		@Override
		public boolean beforeHandle(BusEvent event, String subscriptionKey) throws Exception {
			this.log.add("before-" + this.name + " " + event.id());
			return true;
		}

		@Override
		public void afterHandle(BusEvent event, String subscriptionKey) {
			this.log.add("after-" + this.name + " " + event.id());
		}

		@Override
		public void onError(BusEvent event, String subscriptionKey, Throwable error) {
			this.log.add("error-" + this.name + " " + event.id());
		}

	}

	abstract static class BaseHandlers {

		final List<String> log;

		BaseHandlers(List<String> log) {
			this.log = log;
		}

		@BusSubscriber("order_inherited")
		void inherited(BusEvent event) {
			this.log.add("inherited " + event.id());
		}

	}

	static class Handlers extends BaseHandlers {

		Handlers(List<String> log) {
			super(log);
		}

		@BusSubscriber("order_placed")
		void placed(BusEvent event) {
			this.log.add("placed " + event.id());
		}

		@BusSubscriber(value = "order_shipped", skipInterceptors = "auditInterceptor")
		void shipped(BusEvent event) {
			this.log.add("shipped " + event.id());
		}

		@BusSubscriber(value = "order_failed", errorHandler = "ownErrorHandler")
		void failed(BusEvent event) {
			throw new IllegalStateException("cannot handle " + event.id());
		}

		@BusSubscriber("order_broken")
		void broken(BusEvent event) {
			throw new IllegalArgumentException("broken " + event.id());
		}

	}

}
