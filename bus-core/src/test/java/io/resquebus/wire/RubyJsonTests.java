package io.resquebus.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.resquebus.testsupport.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RubyJsonTests {

	static Stream<Arguments> goldenJobs() {
		List<Arguments> jobs = new ArrayList<>();
		for (String file : List.of("02_published.json", "03_driven.json")) {
			GoldenFiles.keys(file).forEach((key, entry) -> {
				if (key.startsWith("resque:queue:")) {
					@SuppressWarnings("unchecked")
					List<String> values = (List<String>) entry.get("value");
					for (int i = 0; i < values.size(); i++) {
						jobs.add(Arguments.of(file + " " + key + "[" + i + "]", values.get(i)));
					}
				}
			});
		}
		return jobs.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("goldenJobs")
	void rewritesEveryGoldenJobByteForByte(String where, String job) {
		String inner = GoldenFiles.innerJson(job);
		String rewrittenInner = RubyJson.write(GoldenFiles.parseObject(inner));
		assertThat(rewrittenInner).isEqualTo(inner);

		Map<String, Object> outer = GoldenFiles.parseObject(job);
		outer.put("args", List.of(rewrittenInner));
		assertThat(RubyJson.write(outer)).isEqualTo(job);
	}

	@Test
	void goldenFixturesHoldAllFourteenPublishedAndElevenDrivenJobs() {
		assertThat(goldenJobs()).hasSize(14 + 11);
	}

	/** Failure entries, delayed items, timestamps: key names, worker hashes: every JSON Ruby stored. */
	@Test
	void rewritesEveryJsonDocumentInEveryGoldenFileByteForByte() {
		List<String> documents = new ArrayList<>();
		for (String file : GoldenFiles.ALL) {
			GoldenFiles.keys(file).forEach((key, entry) -> {
				collectJson(key.substring(key.indexOf(':', "resque:".length()) + 1), documents);
				collectJson(entry.get("value"), documents);
			});
		}
		assertThat(documents).hasSizeGreaterThan(100);
		for (String json : documents) {
			assertThat(RubyJson.write(GoldenFiles.MAPPER.readValue(json, Object.class))).isEqualTo(json);
		}
	}

	/** Strings that hold a JSON object or array, including ones nested as strings inside them (args). */
	private static void collectJson(Object value, List<String> into) {
		if (value instanceof String s) {
			if ((s.startsWith("{") || s.startsWith("[")) && s.length() > 2) {
				Object parsed;
				try {
					parsed = GoldenFiles.MAPPER.readValue(s, Object.class);
				}
				catch (RuntimeException notJson) {
					return;
				}
				into.add(s);
				collectJson(parsed, into);
			}
		}
		else if (value instanceof Map<?, ?> map) {
			map.values().forEach(v -> collectJson(v, into));
		}
		else if (value instanceof List<?> list) {
			list.forEach(v -> collectJson(v, into));
		}
	}

	@Test
	void writesCompactJsonInInsertionOrder() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("z", 1);
		map.put("a", List.of(true, false));
		map.put("m", null);
		map.put("n", Map.of());
		assertThat(RubyJson.write(map)).isEqualTo("{\"z\":1,\"a\":[true,false],\"m\":null,\"n\":{}}");
	}

	@Test
	void writesShortEscapesAndLeavesSlashUnescaped() {
		assertThat(RubyJson.write("\"\\/\b\f\n\r\t</script>"))
				.isEqualTo("\"\\\"\\\\/\\b\\f\\n\\r\\t</script>\"");
	}

	@Test
	void writesOtherControlCharactersAsLowercaseUnicodeEscapes() {
		assertThat(RubyJson.write("\u0000\u0001\u001b\u001f\u007f"))
				.isEqualTo("\"\\u0000\\u0001\\u001b\\u001f\u007f\"");
	}

	@Test
	void writesNonAsciiAndEmojiUnescaped() {
		assertThat(RubyJson.write("Zoë 日本 😀 \u2028")).isEqualTo("\"Zoë 日本 😀 \u2028\"");
	}

	@Test
	void writesIntegersOfAnySize() {
		BigInteger twoPow64 = BigInteger.TWO.pow(64);
		assertThat(RubyJson.write(List.of(twoPow64, Long.MIN_VALUE, (short) -7, (byte) 3)))
				.isEqualTo("[18446744073709551616,-9223372036854775808,-7,3]");
	}

	@Test
	void writesFloatsInRubyForm() {
		assertThat(RubyJson.write(List.of(1.0e20, 1.0e-7, 3.0, 0.0, -0.0, 98.6, 12.5)))
				.isEqualTo("[1.0e+20,1.0e-07,3.0,0.0,-0.0,98.6,12.5]");
	}

	@Test
	void writesFloatAndBigDecimalAsTheRubyFloatTheyStandFor() {
		assertThat(RubyJson.write(List.of(0.1f, new BigDecimal("1E+20"), new BigDecimal("0.10"))))
				.isEqualTo("[0.1,1.0e+20,0.1]");
	}

	@Test
	void insertsRawJsonVerbatim() {
		String job = "{\"class\":\"QueueBus::Worker\",\"args\":[\"{\\\"a\\\":1.0E2}\"]}";
		Map<String, Object> failure = new LinkedHashMap<>();
		failure.put("failed_at", "2024/06/10 06:13:20 UTC");
		failure.put("payload", new RawJson(job));
		assertThat(RubyJson.write(failure))
				.isEqualTo("{\"failed_at\":\"2024/06/10 06:13:20 UTC\",\"payload\":" + job + "}");
	}

	@Test
	void rejectsBlankRawJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RawJson(" "));
	}

	@Test
	void writesIterablesArraysAndCharacters() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("set", new LinkedHashSet<>(List.of("x", "y")));
		map.put("array", new Object[] {'d', null});
		assertThat(RubyJson.write(map)).isEqualTo("{\"set\":[\"x\",\"y\"],\"array\":[\"d\",null]}");
		assertThat(RubyJson.write(null)).isEqualTo("null");
	}

	@Test
	void writesNonStringKeysAsRubyToSDoes() {
		Map<Object, Object> map = new LinkedHashMap<>();
		map.put(1, "int");
		map.put(true, "bool");
		map.put(1.0e20, "float");
		map.put('c', "char");
		map.put(null, "nil");
		assertThat(RubyJson.write(map))
				.isEqualTo("{\"1\":\"int\",\"true\":\"bool\",\"1.0e+20\":\"float\",\"c\":\"char\",\"\":\"nil\"}");
	}

	@Test
	void appendsToTheGivenBuilder() {
		StringBuilder out = new StringBuilder("x=");
		RubyJson.write(Map.of("k", "v"), out);
		assertThat(out).hasToString("x={\"k\":\"v\"}");
	}

	@Test
	void rejectsTypesRubyCannotReadBackNamingTheType() {
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(Map.of("at", Instant.EPOCH)))
				.withMessageContaining("java.time.Instant").withMessageContaining("Ruby cannot read it back");
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(new int[] {1}))
				.withMessageContaining("int[]");
	}

	@Test
	void rejectsNanAndInfinity() {
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(Double.NaN))
				.withMessageContaining("NaN");
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(List.of(Double.NEGATIVE_INFINITY)));
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(Float.POSITIVE_INFINITY));
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(new BigDecimal("1E+400")));
	}

	@Test
	void rejectsNestingDeeperThanRubyAccepts() {
		Object hundred = "leaf";
		for (int i = 0; i < 100; i++) {
			hundred = List.of(hundred);
		}
		assertThat(RubyJson.write(hundred)).startsWith("[".repeat(100) + "\"leaf\"");
		Object tooDeep = Map.of("k", hundred);
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(tooDeep))
				.withMessageContaining("101");
	}

	@Test
	void writesSurrogatePairsAsTheCharacterTheyEncode() {
		String emoji = new String(Character.toChars(0x1F600));
		assertThat(RubyJson.write(emoji)).isEqualTo("\"" + emoji + "\"");
		assertThat(Arrays.asList(RubyJson.write(emoji).codePoints().boxed().toArray()))
				.containsExactly((int) '"', 0x1F600, (int) '"');
	}
}
