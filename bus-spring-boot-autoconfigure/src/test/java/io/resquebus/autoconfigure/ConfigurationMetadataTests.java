package io.resquebus.autoconfigure;

import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata IDEs read (generated into target/classes by the configuration
 * processor, merged with additional-spring-configuration-metadata.json) describes every property,
 * gives every default the code has, and flags the resquebus.redis properties the bus does not read.
 */
class ConfigurationMetadataTests {

	private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private final JsonNode metadata = JsonMapper.builder().build().readTree(read());

	@Test
	void describesEveryProperty() {
		List<String> undescribed = new ArrayList<>();
		properties().forEach((property) -> {
			if (!property.hasNonNull("description") || property.get("description").asString().isBlank()) {
				undescribed.add(property.get("name").asString());
			}
		});
		assertThat(properties()).hasSizeGreaterThan(50);
		assertThat(undescribed).isEmpty();
	}

	@Test
	void givesTheDefaultOfEveryPropertyThatHasOne() throws Exception {
		List<String> missing = new ArrayList<>();
		List<String> wrong = new ArrayList<>();
		for (JsonNode property : properties()) {
			String name = property.get("name").asString();
			if (!name.startsWith("resquebus.") || isUnsupported(property) || !property.hasNonNull("sourceType")) {
				continue;
			}
			Object actual = defaultOf(property.get("sourceType").asString(), name);
			boolean hasDefault = actual != null && !(actual instanceof Collection<?> c && c.isEmpty())
					&& !(actual instanceof Map<?, ?> m && m.isEmpty());
			if (hasDefault && !property.has("defaultValue")) {
				missing.add(name + " (" + actual + ")");
			}
			if (hasDefault && property.has("defaultValue") && isScalar(actual)
					&& !sameValue(property.get("defaultValue"), actual)) {
				wrong.add(name + ": " + property.get("defaultValue") + " vs " + actual);
			}
		}
		assertThat(missing).isEmpty();
		assertThat(wrong).isEmpty();
	}

	@Test
	void marksTheResquebusRedisPropertiesTheBusDoesNotReadAsErrors() {
		List<String> unsupported = properties().stream()
			.filter(ConfigurationMetadataTests::isUnsupported)
			.map((property) -> property.get("name").asString())
			.toList();
		assertThat(unsupported).contains("resquebus.redis.ssl.bundle", "resquebus.redis.masterreplica.nodes",
				"resquebus.redis.lettuce.pool.max-active", "resquebus.redis.lettuce.shutdown-timeout",
				"resquebus.redis.client-type");
		assertThat(unsupported).allSatisfy((name) -> assertThat(UnsupportedBusRedisProperties.UNSUPPORTED)
			.anySatisfy((prefix) -> assertThat(name).startsWith(prefix)));
		assertThat(properties()).filteredOn((property) -> property.get("name").asString().startsWith("resquebus.redis."))
			.filteredOn((property) -> !isUnsupported(property))
			.extracting((property) -> property.get("name").asString())
			.contains("resquebus.redis.url", "resquebus.redis.host", "resquebus.redis.sentinel.master",
					"resquebus.redis.cluster.nodes", "resquebus.redis.lettuce.read-from")
			.allSatisfy((name) -> assertThat(UnsupportedBusRedisProperties.UNSUPPORTED)
				.noneSatisfy((prefix) -> assertThat(name).startsWith(prefix)));
	}

	@Test
	void hintsTheValuesOfTheModeAndUnknownJobsSettings() {
		List<String> hinted = new ArrayList<>();
		this.metadata.get("hints").forEach((hint) -> hinted.add(hint.get("name").asString()));
		assertThat(hinted).contains("resquebus.local-mode", "resquebus.jobs.unknown-jobs",
				"resquebus.heartbeat.environment", "resquebus.worker.queues");
	}

	private List<JsonNode> properties() {
		List<JsonNode> properties = new ArrayList<>();
		this.metadata.get("properties").forEach(properties::add);
		return properties;
	}

	private static boolean isUnsupported(JsonNode property) {
		return property.has("deprecation") && "error".equals(property.get("deprecation").path("level").asString());
	}

	private static boolean sameValue(JsonNode documented, Object actual) {
		if (actual instanceof Number number) {
			return documented.isNumber() && documented.asDouble() == number.doubleValue();
		}
		return documented.asString().equalsIgnoreCase(actual.toString());
	}

	private static boolean isScalar(Object value) {
		return value instanceof String || value instanceof Number || value instanceof Boolean;
	}

	/** The value a fresh instance of the declaring class holds for the property's last segment. */
	private static Object defaultOf(String sourceType, String name) throws Exception {
		Class<?> type = ClassUtils.forName(sourceType, ConfigurationMetadataTests.class.getClassLoader());
		Constructor<?> constructor = type.getDeclaredConstructor();
		constructor.setAccessible(true);
		String last = name.substring(name.lastIndexOf('.') + 1);
		StringBuilder property = new StringBuilder();
		for (String part : last.split("-")) {
			property.append(property.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
		}
		return new BeanWrapperImpl(constructor.newInstance()).getPropertyValue(property.toString());
	}

	private static String read() {
		try {
			return Files.readString(METADATA);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("Build the module first: " + METADATA, ex);
		}
	}

}
