package io.resquebus.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Writes JSON byte-for-byte as Ruby's {@code json} gem ({@code JSON.generate}) does (wire-format §1):
 * compact, keys in insertion order, {@code /} and non-ASCII unescaped, short escapes for
 * {@code " \ \b \f \n \r \t}, other controls as lowercase <code>&#92;u00xx</code>, floats as Ruby prints them.
 *
 * <p>Bytes matter: Ruby uses job JSON as a Redis key ({@code timestamps:}), in {@code LREM} and in the
 * resque-retry SHA1, so a generic serializer is not enough. Runs for every job; one pass, no regex.
 */
public final class RubyJson {

	/** Ruby's generator and parser both refuse a nesting deeper than 100 ({@code max_nesting}). */
	static final int MAX_NESTING = 100;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private RubyJson() {
	}

	/** Serializes {@code value}; see {@link #write(Object, StringBuilder)} for what is supported. */
	public static String write(@Nullable Object value) {
		StringBuilder out = new StringBuilder(256);
		write(value, out);
		return out.toString();
	}

	/**
	 * Appends {@code value} as JSON. Supports null, String, Character, Boolean, Byte/Short/Integer/Long/
	 * BigInteger, Float/Double/BigDecimal (as Ruby prints the Float it parses to), Map (keys converted
	 * as Ruby's {@code to_s} would, i.e. {@code String.valueOf} except for floats and null), Iterable,
	 * Object[] and {@link RawJson}.
	 *
	 * @throws IllegalArgumentException for other types, NaN or Infinity, or nesting deeper than 100,
	 *     none of which Ruby can read back
	 */
	public static void write(@Nullable Object value, StringBuilder out) {
		writeValue(value, out, 0);
	}

	private static void writeValue(@Nullable Object value, StringBuilder out, int depth) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String s) {
			writeString(s, out);
		}
		else if (value instanceof Map<?, ?> map) {
			writeObject(map, out, depth + 1);
		}
		else if (value instanceof Integer || value instanceof Long || value instanceof Short
				|| value instanceof Byte || value instanceof BigInteger) {
			out.append(value);
		}
		else if (value instanceof Boolean b) {
			out.append(b.booleanValue());
		}
		else if (value instanceof Double d) {
			writeFloat(d, value, out);
		}
		else if (value instanceof Iterable<?> iterable) {
			writeArray(iterable.iterator(), out, depth + 1);
		}
		else if (value instanceof Object[] array) {
			writeArray(Arrays.asList(array).iterator(), out, depth + 1);
		}
		else if (value instanceof RawJson raw) {
			out.append(raw.json());
		}
		else if (value instanceof Float f) {
			writeFloat(RubyValues.floatAsDouble(f), value, out);
		}
		else if (value instanceof BigDecimal b) {
			writeFloat(b.doubleValue(), value, out);
		}
		else if (value instanceof Character c) {
			writeString(c.toString(), out);
		}
		else {
			throw new IllegalArgumentException("Cannot write a " + value.getClass().getTypeName()
					+ " as JSON: Ruby cannot read it back; convert it to a String, number, boolean, Map or List first");
		}
	}

	private static void writeFloat(double d, Object original, StringBuilder out) {
		if (Double.isNaN(d) || Double.isInfinite(d)) {
			throw new IllegalArgumentException("Cannot write " + original
					+ " as JSON: Ruby's generator refuses NaN and Infinity, and its parser cannot read them back");
		}
		out.append(RubyFloats.format(d));
	}

	private static void writeObject(Map<?, ?> map, StringBuilder out, int depth) {
		checkDepth(depth);
		out.append('{');
		boolean first = true;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!first) {
				out.append(',');
			}
			first = false;
			Object key = entry.getKey();
			writeString(key instanceof String k ? k : RubyValues.toS(key), out);
			out.append(':');
			writeValue(entry.getValue(), out, depth);
		}
		out.append('}');
	}

	private static void writeArray(Iterator<?> it, StringBuilder out, int depth) {
		checkDepth(depth);
		out.append('[');
		boolean first = true;
		while (it.hasNext()) {
			if (!first) {
				out.append(',');
			}
			first = false;
			writeValue(it.next(), out, depth);
		}
		out.append(']');
	}

	private static void checkDepth(int depth) {
		if (depth > MAX_NESTING) {
			throw new IllegalArgumentException("Cannot write JSON nested deeper than " + MAX_NESTING
					+ " levels: Ruby cannot read it back (nesting of " + depth + " is too deep)");
		}
	}

	/** Escapes as the json gem does; runs of plain characters are copied in one append. */
	private static void writeString(String s, StringBuilder out) {
		out.append('"');
		int n = s.length();
		int start = 0;
		for (int i = 0; i < n; i++) {
			char c = s.charAt(i);
			if (c >= 0x20 && c != '"' && c != '\\') {
				continue;
			}
			out.append(s, start, i);
			start = i + 1;
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\f' -> out.append("\\f");
				case '\b' -> out.append("\\b");
				default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
			}
		}
		out.append(s, start, n);
		out.append('"');
	}
}
