package io.resquebus.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** Reads the golden Redis dumps written by the real Ruby gems (src/test/resources/golden/README.md). */
public final class GoldenFiles {

	/** Jackson 3 with defaults: the types the bus itself sees when it parses JSON. */
	public static final JsonMapper MAPPER = JsonMapper.builder().build();

	public static final List<String> ALL = List.of("01_subscribed.json", "02_published.json", "03_driven.json",
			"04_ridden.json", "05_publish_at.json", "06_delayed_enqueued.json", "07_delayed_published.json",
			"08_delayed_delivered.json", "x3_worker_registered.json");

	private GoldenFiles() {
	}

	/** The {@code keys} object of a dump: raw key → {type, value, …}. */
	@SuppressWarnings("unchecked")
	public static Map<String, Map<String, Object>> keys(String file) {
		try (InputStream in = GoldenFiles.class.getResourceAsStream("/golden/" + file)) {
			if (in == null) {
				throw new IllegalStateException("missing golden file " + file);
			}
			Map<String, Object> dump = MAPPER.readValue(in, LinkedHashMap.class);
			return (Map<String, Map<String, Object>>) dump.get("keys");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The jobs of {@code resque:queue:<queue>}, as raw JSON strings in list order. */
	@SuppressWarnings("unchecked")
	public static List<String> queue(String file, String queue) {
		Map<String, Object> key = keys(file).get("resque:queue:" + queue);
		return key == null ? List.of() : new ArrayList<>((List<String>) key.get("value"));
	}

	/** Parses JSON text into the untyped structure Jackson yields (LinkedHashMap at the top). */
	@SuppressWarnings("unchecked")
	public static Map<String, Object> parseObject(String json) {
		return MAPPER.readValue(json, LinkedHashMap.class);
	}

	/** The single string in {@code args} of a job: the inner event JSON. */
	@SuppressWarnings("unchecked")
	public static String innerJson(String job) {
		List<Object> args = (List<Object>) parseObject(job).get("args");
		if (args == null || args.size() != 1 || !(args.get(0) instanceof String inner)) {
			throw new IllegalArgumentException("not a bus job: " + job);
		}
		return inner;
	}
}
