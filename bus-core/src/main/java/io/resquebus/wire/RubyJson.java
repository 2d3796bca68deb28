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

	/**
	 * Appends the JSON of {@code value} as it stands inside a JSON string, without the quotes:
	 * byte for byte what {@code write(write(value))} holds between its outer quotes, in one pass.
	 * How a job carries its event in {@code args} (see {@link #appendNestedEntry}).
	 */
	static void writeNested(@Nullable Object value, StringBuilder out) {
		writeValue(value, out, 0, true);
	}

	/**
	 * Appends one {@code "key":value} member of an object written as by {@link #writeNested}, with
	 * the comma before it unless it is the first; {@code depth} is that of the object (1 at the top).
	 */
	static void appendNestedEntry(Object key, @Nullable Object value, boolean first, StringBuilder out, int depth) {
		if (!first) {
			out.append(',');
		}
		writeString(key instanceof String k ? k : RubyValues.toS(key), out, true);
		out.append(':');
		writeValue(value, out, depth, true);
	}

	private static void writeValue(@Nullable Object value, StringBuilder out, int depth) {
		writeValue(value, out, depth, false);
	}

	/** @param nested whether to write the JSON escaped once more, as the contents of a JSON string */
	private static void writeValue(@Nullable Object value, StringBuilder out, int depth, boolean nested) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String s) {
			writeString(s, out, nested);
		}
		else if (value instanceof Map<?, ?> map) {
			writeObject(map, out, depth + 1, nested);
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
			writeArray(iterable.iterator(), out, depth + 1, nested);
		}
		else if (value instanceof Object[] array) {
			writeArray(Arrays.asList(array).iterator(), out, depth + 1, nested);
		}
		else if (value instanceof RawJson raw) {
			if (nested) {
				writeStringContent(raw.json(), out);
			}
			else {
				out.append(raw.json());
			}
		}
		else if (value instanceof Float f) {
			writeFloat(RubyValues.floatAsDouble(f), value, out);
		}
		else if (value instanceof BigDecimal b) {
			writeFloat(b.doubleValue(), value, out);
		}
		else if (value instanceof Character c) {
			writeString(c.toString(), out, nested);
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

	private static void writeObject(Map<?, ?> map, StringBuilder out, int depth, boolean nested) {
		checkDepth(depth);
		out.append('{');
		boolean first = true;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!first) {
				out.append(',');
			}
			first = false;
			Object key = entry.getKey();
			writeString(key instanceof String k ? k : RubyValues.toS(key), out, nested);
			out.append(':');
			writeValue(entry.getValue(), out, depth, nested);
		}
		out.append('}');
	}

	private static void writeArray(Iterator<?> it, StringBuilder out, int depth, boolean nested) {
		checkDepth(depth);
		out.append('[');
		boolean first = true;
		while (it.hasNext()) {
			if (!first) {
				out.append(',');
			}
			first = false;
			writeValue(it.next(), out, depth, nested);
		}
		out.append(']');
	}

	private static void checkDepth(int depth) {
		if (depth > MAX_NESTING) {
			throw new IllegalArgumentException("Cannot write JSON nested deeper than " + MAX_NESTING
					+ " levels: Ruby cannot read it back (nesting of " + depth + " is too deep)");
		}
	}

	/**
	 * Escapes as the json gem does; a string with nothing to escape (the usual case) is copied in one
	 * append, else runs of plain characters are.
	 * @param nested whether the quoted string is written as the contents of another JSON string
	 * (escaped twice, its quotes escaped once)
	 */
	private static void writeString(String s, StringBuilder out, boolean nested) {
		if (nested) {
			out.append("\\\"");
			writeTwiceEscaped(s, out);
			out.append("\\\"");
			return;
		}
		out.append('"');
		writeStringContent(s, out);
		out.append('"');
	}

	private static void writeString(String s, StringBuilder out) {
		writeString(s, out, false);
	}

	/** What a character is written as between the quotes of a JSON string, for those that are escaped. */
	private static final String[] ESCAPED_ONCE = escapes(1);

	/**
	 * The same, escaped again, for a JSON string in a JSON string: {@code "} becomes {@code \\\"},
	 * {@code \} four backslashes, a newline {@code \\n}, a control {@code \\u00xx}.
	 */
	private static final String[] ESCAPED_TWICE = escapes(2);

	/** The string escaped once, as between the quotes of a JSON string. */
	private static void writeStringContent(String s, StringBuilder out) {
		writeEscaped(s, out, ESCAPED_ONCE);
	}

	/** The string escaped as Ruby's generator does, then escaped again, without quotes. */
	private static void writeTwiceEscaped(String s, StringBuilder out) {
		writeEscaped(s, out, ESCAPED_TWICE);
	}

	private static void writeEscaped(String s, StringBuilder out, String[] escaped) {
		int n = s.length();
		int i = firstToEscape(s);
		if (i == n) {
			out.append(s);
			return;
		}
		int start = 0;
		for (; i < n; i++) {
			char c = s.charAt(i);
			if (c >= 0x20 && c != '"' && c != '\\') {
				continue;
			}
			out.append(s, start, i).append(escaped[c]);
			start = i + 1;
		}
		out.append(s, start, n);
	}

	/** Ruby's escapes of the characters it escapes, indexed by character, escaped {@code times} times. */
	private static String[] escapes(int times) {
		String[] escapes = new String['\\' + 1];
		for (char c = 0; c < 0x20; c++) {
			escapes[c] = "\\u00" + HEX[c >> 4] + HEX[c & 0xf];
		}
		escapes['\n'] = "\\n";
		escapes['\r'] = "\\r";
		escapes['\t'] = "\\t";
		escapes['\f'] = "\\f";
		escapes['\b'] = "\\b";
		escapes['"'] = "\\\"";
		escapes['\\'] = "\\\\";
		if (times == 2) {
			for (int c = 0; c < escapes.length; c++) {
				if (escapes[c] != null) {
					escapes[c] = escapes[c].replace("\\", "\\\\").replace("\"", "\\\"");
				}
			}
		}
		return escapes;
	}

	/**
	 * Whether the generator writes {@code c}, inside a JSON string, as exactly the escape that
	 * starts at {@code at} in {@code text}: {@code \/}, an upper-case or needless <code>&#92;u</code> escape
	 * are read as {@code c} but are not what Ruby writes.
	 */
	static boolean writesAsEscape(char c, String text, int at) {
		String escape = (c < ESCAPED_ONCE.length) ? ESCAPED_ONCE[c] : null;
		return escape != null && text.startsWith(escape, at);
	}

	/** The length of {@code s} from {@code from} on, once written escaped between the quotes of a JSON string. */
	static int escapedLength(String s, int from) {
		int n = s.length();
		int length = n - from;
		for (int i = from; i < n; i++) {
			char c = s.charAt(i);
			if (c < 0x20 || c == '"' || c == '\\') {
				length += ESCAPED_ONCE[c].length() - 1;
			}
		}
		return length;
	}

	/** The index of the first character JSON escapes, or the length when there is none. */
	private static int firstToEscape(String s) {
		int n = s.length();
		for (int i = 0; i < n; i++) {
			char c = s.charAt(i);
			if (c < 0x20 || c == '"' || c == '\\') {
				return i;
			}
		}
		return n;
	}
}
