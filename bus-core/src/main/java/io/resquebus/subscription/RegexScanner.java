package io.resquebus.subscription;

import java.util.Locale;

/**
 * The character level of {@link RubyRegexTranslator}: a cursor over the Ruby source and the output,
 * character classes, escapes and properties. Characters are written so that Java reads them
 * literally whatever options are in effect (whitespace and {@code #} survive Java's {@code x} mode).
 */
abstract class RegexScanner {

	final String src;
	final int len;
	final StringBuilder out;
	int pos;

	RegexScanner(String src) {
		this.src = src;
		this.len = src.length();
		this.out = new StringBuilder(len + 16);
	}

	/** Whether Ruby's {@code i} option is in effect at {@link #pos}. */
	abstract boolean ignoreCase();

	final void property(char p) {
		if (pos >= len || src.charAt(pos) != '{') {
			out.append(p); // Ruby reads \p without braces as the letter
			return;
		}
		int end = src.indexOf('}', pos);
		if (end < 0) {
			throw unsupported("\\" + p + "{", "is not terminated, which Ruby rejects");
		}
		String name = src.substring(pos + 1, end);
		boolean negated = p == 'P';
		if (name.startsWith("^")) {
			negated = !negated;
			name = name.substring(1);
		}
		if (!name.matches("[A-Za-z0-9_ .=-]+")) {
			throw unsupported("\\" + p + "{" + name + "}", "is not a valid property name");
		}
		pos = end + 1;
		out.append(RubyProperties.property(name, negated));
	}

	// ---- character classes -------------------------------------------------------------------

	final void charClass() {
		out.append('[');
		pos++;
		if (pos < len && src.charAt(pos) == '^') {
			out.append('^');
			pos++;
		}
		if (pos < len && src.charAt(pos) == ']') {
			out.append("\\]"); // Ruby reads a leading ] as a literal
			pos++;
		}
		while (pos < len) {
			int cp = src.codePointAt(pos);
			switch (cp) {
				case ']' -> {
					out.append(']');
					pos++;
					return;
				}
				case '[' -> {
					if (!posixBracket()) {
						charClass();
					}
				}
				case '\\' -> classEscape();
				case '&' -> {
					boolean intersection = src.startsWith("&&", pos);
					out.append(intersection ? "&&" : "&");
					pos += intersection ? 2 : 1;
				}
				case '-' -> {
					out.append('-');
					pos++;
				}
				default -> {
					appendInClass(cp);
					pos += Character.charCount(cp);
				}
			}
		}
		// unterminated: Java rejects it as Ruby does
	}

	/**
	 * {@code [:alpha:]} or {@code [:^alpha:]} as Onigmo's {@code parse_posix_bracket} reads it;
	 * returns false when the {@code [} opens a nested class.
	 */
	private boolean posixBracket() {
		if (!src.startsWith("[:", pos)) {
			return false;
		}
		int i = pos + 2;
		boolean negated = i < len && src.charAt(i) == '^';
		if (negated) {
			i++;
		}
		for (String name : RubyProperties.POSIX_BRACKETS) {
			if (src.startsWith(name, i)) {
				if (!src.startsWith(":]", i + name.length())) {
					throw unsupported(src.substring(pos, i + name.length()), "is not a POSIX bracket Ruby knows");
				}
				out.append(RubyProperties.posixBracket(name, negated));
				pos = i + name.length() + 2;
				return true;
			}
		}
		int j = i;
		for (int n = 0; j < len && src.charAt(j) != ':' && src.charAt(j) != ']' && n < 20; n++) {
			j++;
		}
		if (src.startsWith(":]", j)) {
			throw unsupported(src.substring(pos, j + 2), "is not a POSIX bracket Ruby knows");
		}
		// Not a POSIX bracket: Onigmo reads the [ as a literal.
		out.append("\\[");
		pos++;
		return true;
	}

	private void classEscape() {
		if (pos + 1 >= len) {
			out.append('\\');
			pos++;
			return;
		}
		char c = src.charAt(pos + 1);
		switch (c) {
			case 'd', 'D', 'w', 'W', 's', 'S' -> {
				out.append('\\').append(c);
				pos += 2;
			}
			case 'h' -> {
				out.append("0-9a-fA-F");
				pos += 2;
			}
			case 'H' -> {
				out.append("[^0-9a-fA-F]");
				pos += 2;
			}
			case 'p', 'P' -> {
				pos += 2;
				property(c);
			}
			case 'b' -> {
				out.append("\\x{8}");
				pos += 2;
			}
			default -> {
				pos++;
				for (int cp : escapedCodePoints(true)) {
					appendEscaped(cp);
				}
			}
		}
	}

	// ---- single characters -------------------------------------------------------------------

	/**
	 * Reads the escape whose letter is at {@code pos} and yields the characters it stands for:
	 * control escapes, {@code \xHH}, <code>&#92;uHHHH</code>, <code>&#92;u{H H}</code>, octal, {@code \cX},
	 * {@code \C-X}, and otherwise the escaped character itself (Ruby ignores unknown escapes).
	 */
	final int[] escapedCodePoints(boolean inClass) {
		int cp = src.codePointAt(pos);
		pos += Character.charCount(cp);
		return switch (cp) {
			case 't' -> new int[] {0x09};
			case 'n' -> new int[] {0x0a};
			case 'r' -> new int[] {0x0d};
			case 'f' -> new int[] {0x0c};
			case 'v' -> new int[] {0x0b};
			case 'a' -> new int[] {0x07};
			case 'e' -> new int[] {0x1b};
			case 'x' -> new int[] {byteValue("\\x", readRadix(16, 2), "hex")};
			case 'u' -> unicodeEscape();
			case '0' -> new int[] {byteValue("\\0", readRadixOrZero(8, 2), "octal")};
			case 'c' -> new int[] {control("\\c")};
			case 'C' -> {
				if (pos >= len || src.charAt(pos) != '-') {
					throw unsupported("\\C", "without '-' is rejected by Ruby");
				}
				pos++;
				yield new int[] {control("\\C-")};
			}
			case 'M' -> throw unsupported("\\M-", "(meta escape) has no java.util.regex equivalent");
			case '1', '2', '3', '4', '5', '6', '7' -> {
				if (!inClass) {
					throw new IllegalStateException("backreferences are handled by the caller");
				}
				pos--;
				yield new int[] {byteValue("\\" + (char) cp, readRadix(8, 3), "octal")};
			}
			default -> new int[] {cp};
		};
	}

	private int byteValue(String escape, int value, String kind) {
		if (value < 0) {
			throw unsupported(escape, "without " + kind + " digits is rejected by Ruby");
		}
		if (value > 0x7f) {
			throw unsupported(escape + Integer.toHexString(value),
					"is a raw byte above 0x7F, which Ruby only accepts as part of a UTF-8 sequence");
		}
		return value;
	}

	private int control(String escape) {
		if (pos >= len || src.charAt(pos) == '\\' || src.charAt(pos) >= 0x80) {
			throw unsupported(escape, "must be followed by one ASCII character");
		}
		char c = src.charAt(pos++);
		return c == '?' ? 0x7f : c & 0x9f;
	}

	private int[] unicodeEscape() {
		if (pos < len && src.charAt(pos) == '{') {
			int end = src.indexOf('}', pos);
			String body = end < 0 ? "" : src.substring(pos + 1, end).strip();
			if (body.isEmpty() || !body.matches("[0-9a-fA-F]{1,6}( +[0-9a-fA-F]{1,6})*")) {
				throw unsupported("\\u{", "is not a valid Unicode escape in Ruby");
			}
			pos = end + 1;
			String[] parts = body.split(" +");
			int[] cps = new int[parts.length];
			for (int i = 0; i < parts.length; i++) {
				cps[i] = codePoint(Integer.parseInt(parts[i], 16));
			}
			return cps;
		}
		int start = pos;
		int value = readRadix(16, 4);
		if (pos - start != 4) {
			throw unsupported("\\u" + src.substring(start, pos), "needs four hex digits in Ruby");
		}
		return new int[] {codePoint(value)};
	}

	private int codePoint(int value) {
		if (value > Character.MAX_CODE_POINT || (value >= 0xd800 && value <= 0xdfff)) {
			throw unsupported("\\u" + Integer.toHexString(value), "is not a valid code point in Ruby");
		}
		return value;
	}

	/** Up to {@code max} digits; -1 when there is none. */
	private int readRadix(int radix, int max) {
		int value = -1;
		for (int n = 0; n < max && pos < len && Character.digit(src.charAt(pos), radix) >= 0 && src.charAt(pos) < 0x80; n++) {
			value = (value < 0 ? 0 : value * radix) + Character.digit(src.charAt(pos++), radix);
		}
		return value;
	}

	private int readRadixOrZero(int radix, int max) {
		int value = readRadix(radix, max);
		return value < 0 ? 0 : value;
	}

	/** A character that came from an escape: emitted so that Java reads it literally, in any mode. */
	final void appendEscaped(int cp) {
		checkFold(cp);
		if (isAsciiLetter(cp) || cp == '_' || (cp >= 0x80 && !isRubySpace(cp))) {
			out.appendCodePoint(cp);
		}
		else if (cp > 0x20 && cp < 0x7f && !isDigit((char) cp)) {
			out.append('\\').append((char) cp);
		}
		else {
			appendHex(cp);
		}
	}

	/** A raw character inside a class: whitespace and {@code #} are escaped since Java's x mode drops them. */
	private void appendInClass(int cp) {
		checkFold(cp);
		if (cp == '#') {
			out.append("\\#");
		}
		else if (cp == '^') {
			out.append("\\^");
		}
		else if (cp < 0x80 && isRubySpace(cp)) {
			appendHex(cp);
		}
		else {
			out.appendCodePoint(cp);
		}
	}

	private void appendHex(int cp) {
		out.append("\\x{").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append('}');
	}

	/** Ruby folds ß to "ss" (and similar) under {@code i}; Java folds one character to one. */
	final void checkFold(int cp) {
		if (ignoreCase() && cp >= 0x80 && hasMultiCharFold(cp)) {
			throw unsupported(new String(Character.toChars(cp)),
					"under case-insensitive matching folds to several characters in Ruby, not in Java");
		}
	}

	private static boolean hasMultiCharFold(int cp) {
		if (cp == 0x1e9e) {
			return true;
		}
		String s = new String(Character.toChars(cp));
		String upper = s.toUpperCase(Locale.ROOT);
		String lower = s.toLowerCase(Locale.ROOT);
		return upper.codePointCount(0, upper.length()) != 1 || lower.codePointCount(0, lower.length()) != 1;
	}

	final UnsupportedRegexException unsupported(String construct, String reason) {
		return new UnsupportedRegexException(construct, src, reason);
	}

	static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	static boolean isAsciiLetter(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	/** Unicode White_Space, which Onigmo skips in extended mode. */
	static boolean isRubySpace(int cp) {
		return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
				|| (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
				|| cp == 0x205f || cp == 0x3000;
	}
}
