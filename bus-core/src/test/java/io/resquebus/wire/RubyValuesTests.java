package io.resquebus.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.resquebus.testsupport.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RubyValuesTests {

	@Test
	void convertsScalarsLikeRubyToS() {
		assertThat(RubyValues.toS(null)).isEmpty();
		assertThat(RubyValues.toS("as is \n")).isEqualTo("as is \n");
		assertThat(RubyValues.toS(true)).isEqualTo("true");
		assertThat(RubyValues.toS(false)).isEqualTo("false");
		assertThat(RubyValues.toS(42)).isEqualTo("42");
		assertThat(RubyValues.toS(-7L)).isEqualTo("-7");
		assertThat(RubyValues.toS(BigInteger.TWO.pow(64))).isEqualTo("18446744073709551616");
		assertThat(RubyValues.toS(42.0)).isEqualTo("42.0");
		assertThat(RubyValues.toS(1e20)).isEqualTo("1.0e+20");
		assertThat(RubyValues.toS(0.1f)).isEqualTo("0.1");
		assertThat(RubyValues.toS(new BigDecimal("2.50"))).isEqualTo("2.5");
	}

	@Test
	void convertsParsedJsonTheWayRubyDoes() {
		Map<String, Object> event = GoldenFiles.parseObject(
				"{\"i\":42,\"f\":42.0,\"big\":18446744073709551616,\"e\":1e20,\"n\":null,\"b\":false}");
		assertThat(event.values().stream().map(RubyValues::toS))
				.containsExactly("42", "42.0", "18446744073709551616", "1.0e+20", "", "false");
	}

	@Test
	void inspectsArraysAndHashesRecursively() {
		assertThat(RubyValues.toS(Arrays.asList("a", 1, null))).isEqualTo("[\"a\", 1, nil]");
		assertThat(RubyValues.toS(List.of())).isEqualTo("[]");
		assertThat(RubyValues.toS(Map.of())).isEqualTo("{}");
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("k", 1);
		nested.put("n", null);
		nested.put("l", List.of(true, 2.5, Map.of("x", List.of())));
		nested.put("big", BigInteger.TEN.pow(20));
		assertThat(RubyValues.toS(nested))
				.isEqualTo("{\"k\"=>1, \"n\"=>nil, \"l\"=>[true, 2.5, {\"x\"=>[]}], \"big\"=>100000000000000000000}");
	}

	@Test
	void inspectsStringsWithRubyEscapes() {
		List<Object> list = List.of("q\"b\\s", "\n\r\t\f\u000b\b\u0007\u001b", "\u0001\u007f\u2028", "#{x} #$y #@z #a #");
		assertThat(RubyValues.toS(list)).isEqualTo("[\"q\\\"b\\\\s\", \"\\n\\r\\t\\f\\v\\b\\a\\e\", "
				+ "\"\\u0001\\u007F\\u2028\", \"\\#{x} \\#$y \\#@z #a #\"]");
	}

	@Test
	void inspectsPrintableUnicodeRawAndOtherCharactersEscaped() {
		assertThat(RubyValues.toS(List.of("Zoë 日本 😀 \u00a0\u200b"))).isEqualTo("[\"Zoë 日本 😀 \u00a0\u200b\"]");
		String privateUse = new String(Character.toChars(0xF0000));
		String languageTag = new String(Character.toChars(0xE0001));
		// Unassigned U+0378 and the C1 control U+0085 are escaped; private use and format characters are not.
		assertThat(RubyValues.toS(List.of("\u0378" + privateUse + languageTag + "\u0085")))
				.isEqualTo("[\"\\u0378" + privateUse + languageTag + "\\u0085\"]");
	}

	@Test
	void escapesUnassignedSupplementaryCodePointsWithBraces() {
		String unassigned = new String(Character.toChars(0x2FFFF));
		assertThat(RubyValues.toS(List.of(unassigned))).isEqualTo("[\"\\u{2FFFF}\"]");
	}

	@Test
	void stripsOnlyWhatRubyStrips() {
		assertThat(RubyValues.strip("\0\t\n\u000b\f\r x y \0\t\n\u000b\f\r ")).isEqualTo("x y");
		assertThat(RubyValues.strip("")).isEmpty();
		assertThat(RubyValues.strip(" \t ")).isEmpty();
		// String.trim() would also strip these controls, String.strip() these Unicode spaces.
		assertThat(RubyValues.strip("\u001c\u0001a\u001f")).isEqualTo("\u001c\u0001a\u001f");
		assertThat("\u001c\u0001a\u001f".trim()).isEqualTo("a");
		assertThat(RubyValues.strip("\u2003\u3000a\u00a0\u2028")).isEqualTo("\u2003\u3000a\u00a0\u2028");
		assertThat("\u2003\u3000a\u00a0\u2028".strip()).isEqualTo("a\u00a0");
		// ... while NUL, which String.strip() keeps, goes.
		assertThat(RubyValues.strip("\0a\0")).isEqualTo("a");
		assertThat("\0a\0".strip()).isEqualTo("\0a\0");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			100.0                  | 100.0
			123456789012345.6      | 123456789012345.6
			1234567890123456.7     | 1234567890123456.8
			9007199254740993       | 9.007199254740992e+15
			100000000000000        | 100000000000000.0
			1e15                   | 1.0e+15
			1e16                   | 1.0e+16
			1e20                   | 1.0e+20
			123456789012345680     | 1.2345678901234568e+17
			0.0001                 | 0.0001
			0.001                  | 0.001
			0.00001                | 1.0e-05
			1e-7                   | 1.0e-07
			98.6                   | 98.6
			12.5                   | 12.5
			3.0                    | 3.0
			-1.5                   | -1.5
			0.1                    | 0.1
			0.30000000000000004    | 0.30000000000000004
			1.7976931348623157e308 | 1.7976931348623157e+308
			2.2250738585072014e-308| 2.2250738585072014e-308
			4.9e-324               | 5.0e-324
			1e-323                 | 1.0e-323
			9.8e-322               | 9.8e-322
			""")
	void formatsFloatsLikeRuby(String javaLiteral, String ruby) {
		assertThat(RubyValues.formatFloat(Double.parseDouble(javaLiteral))).isEqualTo(ruby);
	}

	/** Doubles for which JDK 17's Double.toString is not the shortest form (JDK-4511638). */
	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			1e23                 | 1.0e+23
			2e23                 | 2.0e+23
			8.41e21              | 8.41e+21
			2.82879384806159e17  | 2.82879384806159e+17
			2.681447534367114e18 | 2.681447534367114e+18
			""")
	void formatsFloatsWithTheShortestDigitsWhereJdk17DoesNot(String javaLiteral, String ruby) {
		assertThat(RubyValues.formatFloat(Double.parseDouble(javaLiteral))).isEqualTo(ruby);
	}

	/**
	 * Just above a power of two the rounding interval is asymmetric: the shortest decimal is the farther
	 * of its two neighbours, so "nearest at the first precision that round-trips" would give 17 digits.
	 */
	@Test
	void formatsPowersOfTwoWithTheShortestDigitsEvenWhenTheyAreNotTheNearest() {
		assertThat(RubyValues.formatFloat(Math.scalb(1.0, -1017))).isEqualTo("7.120236347223045e-307");
		assertThat(RubyValues.formatFloat(Math.scalb(1.0, 89))).isEqualTo("6.189700196426902e+26");
		assertThat(new BigDecimal(Math.scalb(1.0, 89)).round(new MathContext(16, RoundingMode.HALF_EVEN)))
				.hasToString("6.189700196426901E+26");
	}

	@Test
	void formatsSpecialFloatsLiterally() {
		assertThat(RubyValues.formatFloat(Double.NaN)).isEqualTo("NaN");
		assertThat(RubyValues.formatFloat(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
		assertThat(RubyValues.formatFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
		assertThat(RubyValues.formatFloat(0.0)).isEqualTo("0.0");
		assertThat(RubyValues.formatFloat(-0.0)).isEqualTo("-0.0");
	}

	/** Round trip, no shorter decimal reads back, and among equally short ones the nearest is chosen. */
	@Test
	void formatsRandomDoublesWithShortestRoundTripDigits() {
		SplittableRandom random = new SplittableRandom(20240610L);
		List<Double> values = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			values.add(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL));
			values.add(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
			values.add(Math.round(random.nextDouble() * 1e6) / 1e3);
			values.add(Double.longBitsToDouble(random.nextLong(1L, 1L << 52)));
		}
		for (double d : values) {
			if (!Double.isFinite(d) || d == 0) {
				continue;
			}
			String ruby = RubyValues.formatFloat(d);
			BigDecimal printed = new BigDecimal(ruby);
			assertThat(printed.doubleValue()).as(ruby).isEqualTo(d);
			int digits = printed.stripTrailingZeros().precision();
			BigDecimal exact = new BigDecimal(d);
			if (digits > 1) {
				for (RoundingMode mode : List.of(RoundingMode.FLOOR, RoundingMode.CEILING)) {
					BigDecimal shorter = exact.round(new MathContext(digits - 1, mode));
					assertThat(shorter.doubleValue()).as("%s is shorter than %s", shorter, ruby).isNotEqualTo(d);
				}
			}
			BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
			if (nearest.doubleValue() == d) {
				assertThat(printed.compareTo(nearest)).as("%s is nearer than %s", nearest, ruby).isZero();
			}
		}
	}
}
