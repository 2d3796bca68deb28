package io.resquebus.test.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.resquebus.embedded.TestRedis;
import io.resquebus.embedded.TestRedis.RedisEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.Assert;

/**
 * Plugs {@link TestRedis#shared()} into a test annotated with {@link AutoConfigureTestRedis} the way
 * Spring Boot's {@code ServiceConnectionContextCustomizerFactory} plugs in a container: a
 * {@link DataRedisConnectionDetails} bean, registered before the auto-configurations run (so the
 * embedded Redis auto-configuration backs off), plus a namespace of the context's own.
 */
class TestRedisContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureTestRedis annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureTestRedis.class);
		return (annotation != null) ? new TestRedisContextCustomizer(annotation.namespace()) : null;
	}

	/** Equal for equal namespaces, so Spring's context cache shares contexts as it would without it. */
	record TestRedisContextCustomizer(String namespace) implements ContextCustomizer {

		static final String BEAN_NAME = "resqueBusTestRedisConnectionDetails";

		static final String PROPERTY_SOURCE_NAME = "resquebusTestRedis";

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			// Started here, not in the factory: the factory also runs for tests whose context is cached.
			RedisEndpoint endpoint = TestRedis.shared();
			String namespace = this.namespace.isEmpty() ? "test-" + UUID.randomUUID().toString().substring(0, 8)
					: this.namespace;
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("resquebus.namespace", namespace)));
			Assert.state(context.getBeanFactory() instanceof BeanDefinitionRegistry,
					"@AutoConfigureTestRedis needs a bean factory that takes bean definitions");
			BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
			RootBeanDefinition definition = new RootBeanDefinition(TestRedisConnectionDetails.class,
					() -> new TestRedisConnectionDetails(endpoint));
			registry.registerBeanDefinition(BEAN_NAME, definition);
		}

	}

	/** Where the test Redis answers, as Spring Boot's Redis auto-configuration reads it. */
	static final class TestRedisConnectionDetails implements DataRedisConnectionDetails {

		private final RedisEndpoint endpoint;

		TestRedisConnectionDetails(RedisEndpoint endpoint) {
			this.endpoint = endpoint;
		}

		@Override
		public Standalone getStandalone() {
			return Standalone.of(this.endpoint.host(), this.endpoint.port());
		}

		@Override
		public String toString() {
			return "TestRedis " + this.endpoint.kind() + " at " + this.endpoint.url();
		}

	}

}
