package io.resquebus.wire;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Ruby's {@code to_s} and {@code strip} for decoded JSON values (wire-format §6.4, §6.5).
 *
 * <p>Subscription matching compares the Ruby string form of an attribute, so {@code 42} matches
 * {@code "42"} but {@code 42.0} does not, and an array matches its {@code inspect} text.
 */
public final class RubyValues {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private RubyValues() {
	}

	/**
	 * Ruby's {@code to_s} of a value as Jackson's untyped parsing yields it: {@code ""} for null,
	 * decimal integers of any size, Ruby float format, and {@code inspect} for arrays and objects
	 * (Ruby 3.1 style {@code {"k"=>1}}).
	 */
	public static String toS(@Nullable Object value) {
		if (value == null) {
			return "";
		}
		if (value instanceof String s) {
			return s;
		}
		if (value instanceof List<?> || value instanceof Map<?, ?>) {
			StringBuilder out = new StringBuilder();
			inspect(value, out);
			return out.toString();
		}
		return scalar(value);
	}

	/**
	 * Ruby's {@code Array#join(separator)} of decoded JSON values: nested arrays are flattened,
	 * everything else is {@link #toS to_s}'d (a hash becomes its {@code inspect}, nil {@code ""}).
	 * What resque-retry hashes into a job's identifier.
	 */
	public static String join(List<?> values, String separator) {
		StringBuilder out = new StringBuilder();
		join(values, separator, out, new boolean[] { true });
		return out.toString();
	}

	private static void join(List<?> values, String separator, StringBuilder out, boolean[] first) {
		for (Object value : values) {
			if (value instanceof List<?> nested) {
				join(nested, separator, out, first);
				continue;
			}
			if (!first[0]) {
				out.append(separator);
			}
			first[0] = false;
			out.append(toS(value));
		}
	}

	/** Strips what Ruby's {@code String#strip} strips: NUL, {@code \t \n \v \f \r} and space, at both ends. */
	public static String strip(String s) {
		int start = 0;
		int end = s.length();
		while (start < end && isStripped(s.charAt(start))) {
			start++;
		}
		while (end > start && isStripped(s.charAt(end - 1))) {
			end--;
		}
		return s.substring(start, end);
	}

	/** Ruby's {@code Float#to_s}: {@code 100.0}, {@code 1.0e+20}, {@code 1.0e-05}, {@code 5.0e-324}, {@code NaN}. */
	public static String formatFloat(double d) {
		return RubyFloats.format(d);
	}

	/** A {@code Float} stands for the decimal it prints as, which is how Jackson writes it too. */
	static double floatAsDouble(Float f) {
		return Double.parseDouble(f.toString());
	}

	private static boolean isStripped(char c) {
		return c == ' ' || c == '\0' || (c >= '\t' && c <= '\r');
	}

	private static String scalar(Object value) {
		if (value instanceof Double d) {
			return RubyFloats.format(d);
		}
		if (value instanceof Float f) {
			return RubyFloats.format(floatAsDouble(f));
		}
		if (value instanceof BigDecimal b) {
			return RubyFloats.format(b.doubleValue());
		}
		return String.valueOf(value);
	}

	private static void inspect(@Nullable Object value, StringBuilder out) {
		if (value == null) {
			out.append("nil");
		}
		else if (value instanceof String s) {
			inspectString(s, out);
		}
		else if (value instanceof Character c) {
			inspectString(c.toString(), out);
		}
		else if (value instanceof List<?> list) {
			out.append('[');
			Iterator<?> it = list.iterator();
			while (it.hasNext()) {
				inspect(it.next(), out);
				if (it.hasNext()) {
					out.append(", ");
				}
			}
			out.append(']');
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
			while (it.hasNext()) {
				Map.Entry<?, ?> entry = it.next();
				inspect(entry.getKey(), out);
				out.append("=>");
				inspect(entry.getValue(), out);
				if (it.hasNext()) {
					out.append(", ");
				}
			}
			out.append('}');
		}
		else {
			out.append(scalar(value));
		}
	}

	/** Ruby's {@code String#inspect} for a UTF-8 string ({@code rb_str_inspect}). */
	private static void inspectString(String s, StringBuilder out) {
		out.append('"');
		int n = s.length();
		for (int i = 0; i < n; ) {
			int cp = s.codePointAt(i);
			i += Character.charCount(cp);
			switch (cp) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\f' -> out.append("\\f");
				case 0x0b -> out.append("\\v");
				case 0x08 -> out.append("\\b");
				case 0x07 -> out.append("\\a");
				case 0x1b -> out.append("\\e");
				case '#' -> {
					// "#{", "#$" and "#@" would interpolate in a Ruby literal.
					char next = i < n ? s.charAt(i) : 0;
					out.append(next == '{' || next == '$' || next == '@' ? "\\#" : "#");
				}
				default -> {
					if (isPrintable(cp)) {
						out.appendCodePoint(cp);
					}
					else {
						escapeCodePoint(cp, out);
					}
				}
			}
		}
		out.append('"');
	}

	/** Onigmo's Unicode {@code Print}: assigned, minus White_Space, Cc and Cs, plus Zs. */
	private static boolean isPrintable(int cp) {
		if (cp < 0x7f) {
			return cp >= 0x20;
		}
		return switch (Character.getType(cp)) {
			case Character.CONTROL, Character.SURROGATE, Character.UNASSIGNED,
				 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
			default -> true;
		};
	}

	private static void escapeCodePoint(int cp, StringBuilder out) {
		if (cp < 0x10000) {
			out.append("\\u");
			for (int shift = 12; shift >= 0; shift -= 4) {
				out.append(HEX[(cp >> shift) & 0xf]);
			}
		}
		else {
			out.append("\\u{").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)).append('}');
		}
	}
}
