package io.resquebus.test.autoconfigure;

import io.resquebus.BusSettings;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @AutoConfigureTestRedis(namespace = ...)} names the namespace, over the test's own property.
 */
@SpringBootTest(classes = AutoConfigureRecordingBusTests.App.class,
		properties = { "resquebus.app-key=namespace_app", "resquebus.namespace=ignored",
				"resquebus.worker.enabled=false", "resquebus.driver.enabled=false" })
@AutoConfigureTestRedis(namespace = "test-named")
class TestRedisNamespaceTests {

	@Autowired
	BusSettings settings;

	@Test
	void usesTheNamespaceTheAnnotationNames() {
		assertThat(this.settings.keys().prefix()).isEqualTo("test-named:");
	}

}
