package io.resquebus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A dump of what the real Ruby gems wrote to Redis ({@code src/test/resources/golden}, copied
 * from the shared spec): raw keys with the {@code resque:} prefix and their exact values.
 */
public final class Golden {

	private static final String PREFIX = "resque:";

	private final Map<String, Entry> keys;

	private Golden(Map<String, Entry> keys) {
		this.keys = keys;
	}

	public static Golden load(String file) {
		try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
			if (in == null) {
				throw new IllegalStateException("No golden file " + file);
			}
			JsonNode root = JsonMapper.builder().build().readTree(in);
			Map<String, Entry> keys = new LinkedHashMap<>();
			root.get("keys").properties().forEach((e) -> keys.put(e.getKey(),
					new Entry(e.getValue().get("type").asString(), e.getValue().get("value"))));
			return new Golden(keys);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Map<String, Entry> keys() {
		return this.keys;
	}

	/** The values of a list key, e.g. {@code list("queue:bus_incoming")} (without prefix). */
	public List<String> list(String key) {
		Entry entry = this.keys.get(PREFIX + key);
		return (entry != null) ? entry.strings() : List.of();
	}

	/** The fields of a hash key (without prefix). */
	public Map<String, String> hash(String key) {
		Map<String, String> hash = new LinkedHashMap<>();
		this.keys.get(PREFIX + key).value().properties().forEach((e) -> hash.put(e.getKey(), e.getValue().asString()));
		return hash;
	}

	public String string(String key) {
		return this.keys.get(PREFIX + key).value().asString();
	}

	String rename(String key, String namespace) {
		return key.startsWith(PREFIX) ? namespace + ":" + key.substring(PREFIX.length()) : key;
	}

	/** One key of the dump. */
	public record Entry(String type, JsonNode value) {

		public List<String> strings() {
			List<String> values = new ArrayList<>();
			this.value.forEach((node) -> values.add(node.asString()));
			return values;
		}

		void writeTo(StringRedisTemplate template, String key) {
			switch (this.type) {
				case "string" -> template.opsForValue().set(key, this.value.asString());
				case "list" -> template.opsForList().rightPushAll(key, strings());
				case "set" -> template.opsForSet().add(key, strings().toArray(String[]::new));
				case "hash" -> this.value.properties()
					.forEach((e) -> template.opsForHash().put(key, e.getKey(), e.getValue().asString()));
				case "zset" -> this.value.forEach((pair) -> template.opsForZSet()
					.add(key, pair.get(0).asString(), pair.get(1).asDouble()));
				default -> throw new IllegalStateException("Unknown type " + this.type);
			}
		}

	}

}
