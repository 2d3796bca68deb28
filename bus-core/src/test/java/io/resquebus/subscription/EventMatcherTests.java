package io.resquebus.subscription;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.resquebus.testsupport.GoldenFiles;
import io.resquebus.wire.RubyValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class EventMatcherTests {

	private static final String PRESENT = "bus_special_value_present";

	/** Wire-format §12.1, one case per alternative; JSON exactly as stored and as published. */
	static Stream<Arguments> specVectors() {
		return Stream.of(
				arguments("1", "{\"bus_event_type\":\"user_created\"}", "{\"bus_event_type\":\"user_created\"}", true),
				arguments("2", "{\"bus_event_type\":\"user_created\"}", "{\"bus_event_type\":\"user_created_v2\"}", false),
				arguments("3a", "{\"x\":\"user.created\"}", "{\"x\":\"userXcreated\"}", true),
				arguments("3b", "{\"x\":\"event_.*\"}", "{\"x\":\"event_one\"}", true),
				arguments("4a", "{\"x\":\"(?-mix:^user_)\"}", "{\"x\":\"user_paid\"}", true),
				arguments("4b", "{\"x\":\"(?-mix:^user_)\"}", "{\"x\":\"a_user_paid\"}", false),
				arguments("4c", "{\"x\":\"(?-mix:user_)\"}", "{\"x\":\"a_user_paid\"}", true),
				arguments("5a", "{\"x\":\"(?i-mx:user)\"}", "{\"x\":\"USER\"}", true),
				arguments("5b", "{\"x\":\"(?i-mx:user)\"}", "{\"x\":\"USER_x\"}", false),
				arguments("6", "{\"x\":\"a_b|c_d\"}", "{\"x\":\"a_b_v2\"}", true),
				arguments("7a", "{\"x\":\"foo\"}", "{\"x\":\"x\\nfoo\"}", true),
				arguments("7b", "{\"x\":\"(?-mix:^[cb]a+t)\"}", "{\"x\":\"xx\\ncat\"}", true),
				arguments("8a", "{\"x\":\"(?-mix:a.b)\"}", "{\"x\":\"a\\nb\"}", false),
				arguments("8b", "{\"x\":\"(?m-ix:a.b)\"}", "{\"x\":\"a\\nb\"}", true),
				arguments("9a", "{\"id\":\"42\"}", "{\"id\":42}", true),
				arguments("9b", "{\"id\":\"42\"}", "{\"id\":42.0}", false),
				arguments("9c", "{\"id\":\"1.0e+20\"}", "{\"id\":1e20}", true),
				arguments("10a", "{\"x\":\"true\"}", "{\"x\":true}", true),
				arguments("10b", "{\"x\":\"1\"}", "{\"x\":true}", false),
				arguments("11a", "{\"x\":\"\"}", "{\"x\":\"\"}", false),
				arguments("11b", "{}", "{\"x\":\"\"}", false),
				arguments("12a", sv("x", "present"), "{\"x\":\"  \"}", false),
				arguments("12b", sv("x", "present"), "{\"x\":0}", true),
				arguments("12c", sv("x", "present"), "{\"x\":[]}", true),
				arguments("13a", sv("x", "blank"), "{}", true),
				arguments("13b", sv("x", "blank"), "{\"x\":\" \\t\\n\"}", true),
				arguments("13c", sv("x", "blank"), "{\"x\":\"a\"}", false),
				arguments("14", "{\"x\":\".*\"}", "{}", true),
				arguments("15", "{\"x\":\"^$\"}", "{\"x\":null}", true),
				arguments("16a", sv("x", "empty"), "{\"x\":\"\"}", true),
				arguments("16b", sv("x", "empty"), "{\"x\":null}", false),
				arguments("17a", sv("x", "nil"), "{}", true),
				arguments("17b", sv("x", "nil"), "{\"x\":\"\"}", false),
				arguments("18a", sv("x", "value"), "{\"x\":false}", true),
				arguments("18b", sv("x", "value"), "{\"x\":null}", false),
				arguments("19a", sv("x", "key"), "{\"x\":null}", true),
				arguments("19b", "{\"x\":\"key\"}", "{\"x\":null}", false),
				arguments("19c", sv("x", "key"), "{}", false),
				arguments("20a", "{\"t\":\"a\",\"u\":\"" + PRESENT + "\"}", "{\"t\":\"a\"}", false),
				arguments("20b", "{\"t\":\"a\",\"u\":\"" + PRESENT + "\"}", "{\"t\":\"a\",\"u\":7}", true),
				arguments("21", "{\"x\":\"[\\\"a\\\", 1, nil]\"}", "{\"x\":[\"a\",1,null]}", true),
				arguments("22a", "{\"x\":\"[unclosed\"}", "{\"x\":\"[unclosed\"}", true),
				arguments("22b", "{\"x\":\"[unclosed\"}", "{\"x\":\"a\"}", false),
				arguments("23a", "{\"x\":\"\\\\h+\"}", "{\"x\":\"beef\"}", true),
				arguments("23b", "{\"x\":\"a{,3}\"}", "{\"x\":\"aa\"}", true),
				arguments("24", "{\"x\":\"(?i-mx:été)\"}", "{\"x\":\"ÉTÉ\"}", true),
				arguments("25a", "{\"x\":\"[[:alpha:]]+\"}", "{\"x\":\"été\"}", true),
				arguments("25b", "{\"x\":\"\\\\w+\"}", "{\"x\":\"été\"}", false),
				arguments("26a", "{\"minute\":\"5\"}", "{\"minute\":5}", true),
				arguments("26b", "{\"minute\":\"5\"}", "{\"minute\":\"05\"}", false));
	}

	private static String sv(String name, String special) {
		return "{\"" + name + "\":\"bus_special_value_" + special + "\"}";
	}

	@ParameterizedTest(name = "vector {0}: {1} on {2} -> {3}")
	@MethodSource("specVectors")
	void matchesEventsAsTheRubyMatcherDoes(String vector, String matcherJson, String eventJson, boolean expected) {
		EventMatcher matcher = EventMatcher.compile(stringMap(GoldenFiles.parseObject(matcherJson)));
		assertThat(matcher.matches(GoldenFiles.parseObject(eventJson))).isEqualTo(expected);
	}

	@Test
	void specVectorsCoverEveryRowOfTheTable() {
		assertThat(specVectors().map(a -> ((String) a.get()[0]).replaceAll("[a-z]$", "")).distinct())
				.hasSize(26);
	}

	/**
	 * For each event Ruby published (02), the subscriptions of golden_app (01) that match must be
	 * exactly those Ruby's driver fanned out to (03), on the queue the subscription names.
	 */
	@Test
	void matchesTheSubscriptionsRubyDroveEachGoldenEventTo() {
		Map<String, Subscription> subscriptions = goldenSubscriptions();
		Map<String, Set<String>> driven = new TreeMap<>();
		for (String queue : List.of("golden_app_default", "golden_app_critical", "golden_custom_q")) {
			for (String job : GoldenFiles.queue("03_driven.json", queue)) {
				Map<String, Object> rider = GoldenFiles.parseObject(GoldenFiles.innerJson(job));
				driven.computeIfAbsent((String) rider.get("bus_id"), id -> new TreeSet<>())
						.add(rider.get("bus_rider_sub_key") + "@" + queue);
			}
		}
		List<String> published = GoldenFiles.queue("02_published.json", "bus_incoming");
		assertThat(published).hasSize(14);
		assertThat(driven.values().stream().mapToInt(Set::size).sum()).isEqualTo(11);

		Map<String, Set<String>> matched = new TreeMap<>();
		for (String job : published) {
			Map<String, Object> event = GoldenFiles.parseObject(GoldenFiles.innerJson(job));
			Set<String> keys = new TreeSet<>();
			subscriptions.forEach((key, sub) -> {
				if (sub.matcher().matches(event)) {
					keys.add(key + "@" + sub.queue());
				}
			});
			if (!keys.isEmpty()) {
				matched.put((String) event.get("bus_id"), keys);
			}
		}
		assertThat(matched).isEqualTo(driven);
	}

	private record Subscription(String queue, EventMatcher matcher) {
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Subscription> goldenSubscriptions() {
		Map<String, Object> hash = GoldenFiles.keys("01_subscribed.json").get("resque:bus_app:golden_app");
		Map<String, String> fields = (Map<String, String>) hash.get("value");
		Map<String, Subscription> subscriptions = new LinkedHashMap<>();
		fields.forEach((subKey, json) -> {
			Map<String, Object> sub = GoldenFiles.parseObject(json);
			assertThat(sub.get("key")).isEqualTo(subKey);
			Map<String, String> matcher = stringMap((Map<String, Object>) sub.get("matcher"));
			subscriptions.put(subKey, new Subscription((String) sub.get("queue_name"), EventMatcher.compile(matcher)));
		});
		assertThat(subscriptions).hasSize(13);
		return subscriptions;
	}

	/** As the registry reads matchers: every value through Ruby's to_s (§5). */
	private static Map<String, String> stringMap(Map<String, Object> map) {
		Map<String, String> strings = new LinkedHashMap<>();
		map.forEach((k, v) -> strings.put(k, RubyValues.toS(v)));
		return strings;
	}

	@Test
	void neverMatchesWithAnEmptyMatcher() {
		assertThat(EventMatcher.compile(Map.of()).matches(Map.of())).isFalse();
		assertThat(EventMatcher.compile(Map.of()).matches(Map.of("x", "y"))).isFalse();
	}

	@Test
	void matchesOnlyTopLevelAttributesIncludingBusMetadata() {
		EventMatcher matcher = EventMatcher.compile(Map.of("bus_app_hostname", "web-1"));
		assertThat(matcher.matches(Map.of("bus_app_hostname", "web-1"))).isTrue();
		assertThat(matcher.matches(Map.of("nested", Map.of("bus_app_hostname", "web-1")))).isFalse();
	}

	@Test
	void neverMatchesThroughARegexJavaCannotTranslateButStillComparesStrings() {
		EventMatcher unanchored = EventMatcher.compile(Map.of("x", "(?-mix:a\\Kb)"));
		assertThat(unanchored.matches(Map.of("x", "ab"))).isFalse();
		assertThat(unanchored.matches(Map.of("x", "(?-mix:a\\Kb)"))).isTrue();
		EventMatcher invalid = EventMatcher.compile(Map.of("x", "(a"));
		assertThat(invalid.matches(Map.of("x", "a"))).isFalse();
		assertThat(invalid.matches(Map.of("x", "(a"))).isTrue();
	}

	@Test
	void keepsTheMatcherInOrderAndUnmodifiable() {
		Map<String, String> given = new LinkedHashMap<>();
		given.put("z", "1");
		given.put("bus_event_type", "a");
		given.put("m", PRESENT);
		EventMatcher matcher = EventMatcher.compile(given);
		given.put("later", "x");
		assertThat(matcher.matcher()).containsExactly(Map.entry("z", "1"), Map.entry("bus_event_type", "a"),
				Map.entry("m", PRESENT));
		assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> matcher.matcher().put("x", "y"));
	}

	@Test
	void treatsANullMatcherValueAsEmpty() {
		Map<String, String> given = new HashMap<>();
		given.put("x", null);
		EventMatcher matcher = EventMatcher.compile(given);
		assertThat(matcher.matcher()).containsEntry("x", "");
		assertThat(matcher.matches(Map.of("x", ""))).isFalse();
	}

	@Test
	void validatesMatchersJavaMayRegister() {
		assertThatNoException().isThrownBy(() -> EventMatcher.validate(Map.of("bus_event_type", "user_created",
				"amount", PRESENT, "x", "(?-mix:^order_)", "y", "bus_special_value_nil")));
	}

	@Test
	void refusesEmptyMatchersAndValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventMatcher.validate(Map.of()))
				.withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> EventMatcher.validate(Map.of("x", "")))
				.withMessageContaining("'x'");
	}

	@Test
	void refusesRegexesJavaCannotUse() {
		assertThatExceptionOfType(UnsupportedRegexException.class)
				.isThrownBy(() -> EventMatcher.validate(Map.of("x", "(?-mix:a\\Kb)")))
				.withMessageContaining("\\K");
		assertThatIllegalArgumentException().isThrownBy(() -> EventMatcher.validate(Map.of("x", "[unclosed")))
				.withMessageContaining("'x'").withMessageContaining("regex");
	}
}
