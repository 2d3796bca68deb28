package io.resquebus.test.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Switches off everything of the bus that would talk to Redis in a test annotated with
 * {@link AutoConfigureRecordingBus}. Its properties take precedence over the application's and the
 * test's own.
 */
class RecordingBusContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureRecordingBus.class)
				? new RecordingBusContextCustomizer() : null;
	}

	static final class RecordingBusContextCustomizer implements ContextCustomizer {

		static final String PROPERTY_SOURCE_NAME = "resquebusRecordingBus";

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("resquebus.driver.enabled", "false");
			properties.put("resquebus.worker.enabled", "false");
			properties.put("resquebus.scheduler.enabled", "false");
			properties.put("resquebus.register-subscriptions", "false");
			properties.put("resquebus.embedded-redis.enabled", "false");
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other != null && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
