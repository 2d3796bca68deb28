package io.resquebus.wire;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads an event's JSON object into what {@link WireCodec#defaultMapper()} makes of it, in one pass
 * and without the mapper's machinery (it runs for every job in the driver and the worker): a
 * {@link LinkedHashMap} in document order, {@link ArrayList}s, {@link String}s, {@link Boolean}s,
 * {@code null}, {@link Integer} or {@link Long} for integers by size, {@link Double} for numbers
 * with a fraction or exponent.
 *
 * <p>It declines, returning {@code null} so that the caller reads the text with the mapper, at
 * anything it does not read exactly as the mapper does or where the mapper would fail or report
 * an error: invalid JSON, a duplicate key, a number over 100 characters, nesting over
 * {@value #MAX_DEPTH} levels, a document over {@value #MAX_LENGTH} characters.
 *
 * <p>It also reads the event where a job carries it, still escaped as the content of the job's
 * {@code args} string ({@link #readEscapedObject}), so the worker and the driver do not unescape
 * the event into a string first only to read that string again.
 *
 * <p>While reading, it can note whether the text is exactly what {@link RubyJson} writes for what
 * it read (no whitespace, Ruby's escapes, number text that writes back the same), so that a driver
 * can splice rider jobs from the text instead of writing the event again (see {@link Read#proxyAt()}).
 */
final class EventJsonReader {

	static final int MAX_LENGTH = 32 * 1024;

	static final int MAX_DEPTH = 100;

	private static final int MAX_NUMBER_LENGTH = 100;

	/** The bus's own attribute names, by length: a key read as one of them is that constant, hash cached. */
	private static final String[][] BUS_KEYS_BY_LENGTH = busKeysByLength(BusAttributes.PUBLISHED_AT,
			BusAttributes.EVENT_TYPE, BusAttributes.ID, BusAttributes.APP_HOSTNAME, BusAttributes.CONTEXT,
			BusAttributes.LOCALE, BusAttributes.TIMEZONE, BusAttributes.DELAYED_UNTIL, BusAttributes.CLASS_PROXY,
			BusAttributes.DRIVEN_AT, BusAttributes.RIDER_QUEUE, BusAttributes.RIDER_APP_KEY,
			BusAttributes.RIDER_SUB_KEY, BusAttributes.RIDER_CLASS_NAME, BusAttributes.EXECUTED_AT,
			BusAttributes.SYNC_DELIVERED, BusAttributes.TRACE);

	private final String text;

	/** Where the document ends in {@link #text}. */
	private final int length;

	/**
	 * Whether the document is escaped once more, as the content of a JSON string Ruby wrote: a
	 * quote of the document is {@code \"} there, a backslash {@code \\}, and every other
	 * character is itself (Ruby writes compact JSON, and the only characters it escapes in the
	 * document's text are those two).
	 */
	private final boolean escaped;

	private int at;

	/**
	 * Whether everything read so far is written back to the same text by {@link RubyJson} and no
	 * top-level key is a rider attribute (the driver sets those unless the event has them); once
	 * false, the checks stop.
	 */
	private boolean canonical;

	/** Where the last top-level key read starts (its opening quote), and that key. */
	private int lastKeyAt = -1;

	private String lastKey = "";

	/** How many top-level keys were read. */
	private int topKeys;

	private EventJsonReader(String text, int start, int end, boolean escaped, boolean splice) {
		this.text = text;
		this.at = start;
		this.length = end;
		this.escaped = escaped;
		this.canonical = splice;
	}

	/** The JSON object as the default mapper reads it, or {@code null} when this reader declines. */
	static @Nullable Map<String, Object> readObject(String json) {
		Read read = read(json, false);
		return (read != null) ? read.event() : null;
	}

	/**
	 * As {@link #readObject(String)}, with what the text tells about splicing.
	 * @param splice whether to find out {@link Read#proxyAt()}, else it is -1
	 */
	static @Nullable Read read(String json, boolean splice) {
		if (json.length() > MAX_LENGTH) {
			return null;
		}
		return read(new EventJsonReader(json, 0, json.length(), false, splice));
	}

	/**
	 * What {@link #readObject} gives for the content of the JSON string {@code text[start, end)}
	 * decoded, read without decoding it first; {@code null} where {@code readObject} of the decoded
	 * string would decline or fail, and also where the content holds anything but the escapes Ruby
	 * writes there ({@code \"} and {@code \\}), another escape, a raw quote or control
	 * character: there the caller decodes the string and reads that.
	 * @see #unescape
	 */
	static @Nullable Map<String, Object> readEscapedObject(String text, int start, int end) {
		Read read = readEscaped(text, start, end, false);
		return (read != null) ? read.event() : null;
	}

	/**
	 * As {@link #readEscapedObject}, with what the text tells about splicing; {@link Read#proxyAt()}
	 * is then a position in {@code text}.
	 * @param splice whether to find out {@link Read#proxyAt()}, else it is -1
	 */
	static @Nullable Read readEscaped(String text, int start, int end, boolean splice) {
		if (end - start > MAX_LENGTH) {
			// The content is never shorter than its decoding: within the limit, so is the decoding.
			return null;
		}
		return read(new EventJsonReader(text, start, end, true, splice));
	}

	/**
	 * The content of the JSON string {@code text[start, end)} decoded, for content
	 * {@link #readEscapedObject} read: every backslash stands before the character it escapes.
	 */
	static String unescape(String text, int start, int end) {
		char[] chars = new char[end - start];
		text.getChars(start, end, chars, 0);
		int to = 0;
		for (int i = 0; i < chars.length; i++) {
			char c = chars[i];
			if (c == '\\') {
				c = chars[++i];
			}
			chars[to++] = c;
		}
		return new String(chars, 0, to);
	}

	/**
	 * Feeds {@code digest} the UTF-8 bytes of {@link #unescape unescape(text, start, end)}, as
	 * {@code String.getBytes(UTF_8)} encodes them (a lone surrogate as {@code ?}), without making
	 * that string: the worker hashes every job's event for its retry counter key.
	 */
	static void digestUnescaped(String text, int start, int end, MessageDigest digest) {
		byte[] buffer = DIGEST_BUFFER.get();
		int n = 0;
		for (int i = start; i < end; i++) {
			if (n > buffer.length - 4) {
				digest.update(buffer, 0, n);
				n = 0;
			}
			char c = text.charAt(i);
			if (c == '\\') {
				c = text.charAt(++i);
			}
			if (c < 0x80) {
				buffer[n++] = (byte) c;
			}
			else if (c < 0x800) {
				buffer[n++] = (byte) (0xC0 | (c >> 6));
				buffer[n++] = (byte) (0x80 | (c & 0x3F));
			}
			else if (!Character.isSurrogate(c)) {
				buffer[n++] = (byte) (0xE0 | (c >> 12));
				buffer[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
				buffer[n++] = (byte) (0x80 | (c & 0x3F));
			}
			else {
				int next = (i + 1 < end && text.charAt(i + 1) == '\\') ? i + 2 : i + 1;
				char low = (Character.isHighSurrogate(c) && next < end) ? text.charAt(next) : 0;
				if (!Character.isLowSurrogate(low)) {
					buffer[n++] = '?';
					continue;
				}
				int code = Character.toCodePoint(c, low);
				i = next;
				buffer[n++] = (byte) (0xF0 | (code >> 18));
				buffer[n++] = (byte) (0x80 | ((code >> 12) & 0x3F));
				buffer[n++] = (byte) (0x80 | ((code >> 6) & 0x3F));
				buffer[n++] = (byte) (0x80 | (code & 0x3F));
			}
		}
		digest.update(buffer, 0, n);
	}

	/**
	 * As {@link #digestUnescaped(String, int, int, MessageDigest)} for text given as its ASCII bytes,
	 * which are their own UTF-8: each backslash is dropped and the byte it escapes kept. Copied to a
	 * buffer and hashed a buffer at a time, as many small updates of the runs between backslashes
	 * cost the worker half again as much.
	 */
	static void digestUnescaped(byte[] ascii, int start, int end, MessageDigest digest) {
		byte[] buffer = DIGEST_BUFFER.get();
		int n = 0;
		for (int i = start; i < end; i++) {
			if (n == buffer.length) {
				digest.update(buffer, 0, n);
				n = 0;
			}
			byte b = ascii[i];
			buffer[n++] = (b == '\\') ? ascii[++i] : b;
		}
		digest.update(buffer, 0, n);
	}

	/** Bytes in hand between digest updates: a job of any size is hashed through this. */
	private static final ThreadLocal<byte[]> DIGEST_BUFFER = ThreadLocal.withInitial(() -> new byte[4096]);

	private static @Nullable Read read(EventJsonReader reader) {
		try {
			reader.skipWhitespace();
			if (reader.peek() != '{') {
				return null;
			}
			Map<String, Object> object = reader.object(1);
			reader.skipWhitespace();
			return (reader.at == reader.length) ? new Read(object, reader.proxyAt()) : null;
		}
		catch (Decline ex) {
			return null;
		}
	}

	/**
	 * An event read.
	 * @param event the event
	 * @param proxyAt where the comma before the event's last member starts, when the text is
	 * exactly {@code RubyJson.write(event)} (escaped once more, in escaped mode), that member is
	 * {@code bus_class_proxy} and not the only one, and no top-level key is a rider attribute; else -1
	 */
	record Read(Map<String, Object> event, int proxyAt) {
	}

	private int proxyAt() {
		return (this.canonical && this.topKeys > 1
				&& BusAttributes.CLASS_PROXY.equals(this.lastKey)) ? this.lastKeyAt - 1 : -1;
	}

	private Map<String, Object> object(int depth) {
		if (depth > MAX_DEPTH) {
			throw Decline.INSTANCE;
		}
		this.at++; // {
		// An event's own map holds a dozen attributes or more: sized once, not grown.
		Map<String, Object> object = (depth == 1) ? new LinkedHashMap<>(32) : new LinkedHashMap<>();
		skipWhitespace();
		if (peek() == '}') {
			this.at++;
			return object;
		}
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				throw Decline.INSTANCE;
			}
			int keyAt = this.at;
			String key = string(true);
			skipWhitespace();
			if (next() != ':') {
				throw Decline.INSTANCE;
			}
			skipWhitespace();
			Object value = value(depth);
			int size = object.size();
			object.put(key, value);
			if (object.size() == size) {
				throw Decline.INSTANCE; // a duplicate key: left to the mapper
			}
			if (depth == 1 && this.canonical) {
				this.topKeys++;
				this.lastKeyAt = keyAt;
				this.lastKey = key;
				if (WireCodec.isRiderKey(key)) {
					this.canonical = false;
				}
			}
			skipWhitespace();
			char c = next();
			if (c == '}') {
				return object;
			}
			if (c != ',') {
				throw Decline.INSTANCE;
			}
		}
	}

	private List<@Nullable Object> array(int depth) {
		if (depth > MAX_DEPTH) {
			throw Decline.INSTANCE;
		}
		this.at++; // [
		List<@Nullable Object> array = new ArrayList<>();
		skipWhitespace();
		if (peek() == ']') {
			this.at++;
			return array;
		}
		while (true) {
			skipWhitespace();
			array.add(value(depth));
			skipWhitespace();
			char c = next();
			if (c == ']') {
				return array;
			}
			if (c != ',') {
				throw Decline.INSTANCE;
			}
		}
	}

	private @Nullable Object value(int depth) {
		char c = peek();
		switch (c) {
			case '{':
				return object(depth + 1);
			case '[':
				return array(depth + 1);
			case '"':
				return string(false);
			case 't':
				literal("true");
				return Boolean.TRUE;
			case 'f':
				literal("false");
				return Boolean.FALSE;
			case 'n':
				literal("null");
				return null;
			default:
				if (c == '-' || (c >= '0' && c <= '9')) {
					return number();
				}
				throw Decline.INSTANCE;
		}
	}

	private void literal(String literal) {
		if (this.at + literal.length() > this.length || !this.text.startsWith(literal, this.at)) {
			throw Decline.INSTANCE;
		}
		this.at += literal.length();
	}

	/** The string that starts at the (possibly escaped) opening quote; a key may be a constant. */
	private String string(boolean key) {
		if (this.escaped) {
			return escapedModeString(key);
		}
		int start = ++this.at; // after the opening quote
		for (int i = start; i < this.length; i++) {
			char c = this.text.charAt(i);
			if (c == '"') {
				this.at = i + 1;
				return key ? key(start, i) : this.text.substring(start, i);
			}
			if (c == '\\') {
				return escapedString(start, i);
			}
			if (c < 0x20) {
				throw Decline.INSTANCE;
			}
		}
		throw Decline.INSTANCE;
	}

	private String escapedString(int start, int firstEscape) {
		StringBuilder out = new StringBuilder(firstEscape - start + 16);
		out.append(this.text, start, firstEscape);
		int i = firstEscape;
		while (i < this.length) {
			char c = this.text.charAt(i++);
			if (c == '"') {
				this.at = i;
				return out.toString();
			}
			if (c < 0x20) {
				throw Decline.INSTANCE;
			}
			if (c != '\\') {
				out.append(c);
				continue;
			}
			if (i >= this.length) {
				throw Decline.INSTANCE;
			}
			char escape = this.text.charAt(i++);
			if (escape == 'u') {
				int code = hex4(this.text, i);
				if (code < 0) {
					throw Decline.INSTANCE;
				}
				if (this.canonical && !RubyJson.writesAsEscape((char) code, this.text, i - 2)) {
					this.canonical = false;
				}
				out.append((char) code);
				i += 4;
				continue;
			}
			int escaped = escaped(escape);
			if (escaped < 0) {
				throw Decline.INSTANCE;
			}
			if (escape == '/') {
				this.canonical = false; // the one short escape Ruby does not write
			}
			out.append((char) escaped);
		}
		throw Decline.INSTANCE;
	}

	/** {@link #string} in escaped mode, where the opening quote is {@code \"}. */
	private String escapedModeString(boolean key) {
		int start = this.at + 2;
		for (int i = start; i < this.length; i++) {
			char c = this.text.charAt(i);
			if (c == '\\') {
				if (i + 1 < this.length && this.text.charAt(i + 1) == '"') {
					this.at = i + 2;
					return key ? key(start, i) : this.text.substring(start, i);
				}
				return escapedModeEscapedString(start, i);
			}
			if (c == '"' || c < 0x20) {
				throw Decline.INSTANCE;
			}
		}
		throw Decline.INSTANCE;
	}

	/**
	 * The rest of a string in escaped mode from its first backslash on: {@code \"} ends it,
	 * {@code \\} starts one of its own escapes, whose letter is itself escaped when it is a quote
	 * or a backslash. The text between escapes is appended a run at a time.
	 */
	private String escapedModeEscapedString(int start, int firstBackslash) {
		StringBuilder out = new StringBuilder(firstBackslash - start + 16);
		int from = start;
		int i = firstBackslash;
		while (i < this.length) {
			char c = this.text.charAt(i);
			if (c != '\\') {
				if (c == '"' || c < 0x20) {
					throw Decline.INSTANCE;
				}
				i++;
				continue;
			}
			out.append(this.text, from, i);
			char next = (i + 1 < this.length) ? this.text.charAt(i + 1) : 0;
			if (next == '"') {
				this.at = i + 2;
				return out.toString();
			}
			if (next != '\\' || i + 2 >= this.length) {
				throw Decline.INSTANCE;
			}
			i += 2;
			char letter = this.text.charAt(i);
			if (letter == '\\') {
				char quoted = (i + 1 < this.length) ? this.text.charAt(i + 1) : 0;
				if (quoted != '"' && quoted != '\\') {
					throw Decline.INSTANCE;
				}
				out.append(quoted);
				i += 2;
			}
			else if (letter == 'u') {
				int code = (i + 5 <= this.length) ? hex4(this.text, i + 1) : -1;
				if (code < 0) {
					throw Decline.INSTANCE;
				}
				// The escape's own backslash is the second of the two before the letter.
				if (this.canonical && !RubyJson.writesAsEscape((char) code, this.text, i - 1)) {
					this.canonical = false;
				}
				out.append((char) code);
				i += 5;
			}
			else {
				int unescaped = (letter != '"') ? escaped(letter) : -1;
				if (unescaped < 0) {
					throw Decline.INSTANCE;
				}
				if (letter == '/') {
					this.canonical = false; // the one short escape Ruby does not write
				}
				out.append((char) unescaped);
				i++;
			}
			from = i;
		}
		throw Decline.INSTANCE;
	}

	/** The key {@code text[start, end)}: the constant when it is one of the bus's attribute names. */
	private String key(int start, int end) {
		int n = end - start;
		if (n < BUS_KEYS_BY_LENGTH.length && this.text.charAt(start) == 'b') {
			for (String known : BUS_KEYS_BY_LENGTH[n]) {
				if (this.text.startsWith(known, start)) {
					return known;
				}
			}
		}
		return this.text.substring(start, end);
	}

	private static String[][] busKeysByLength(String... keys) {
		int max = 0;
		for (String key : keys) {
			max = Math.max(max, key.length());
		}
		String[][] byLength = new String[max + 1][0];
		for (String key : keys) {
			String[] same = java.util.Arrays.copyOf(byLength[key.length()], byLength[key.length()].length + 1);
			same[same.length - 1] = key;
			byLength[key.length()] = same;
		}
		return byLength;
	}

	/**
	 * What a one-letter JSON escape (the letter after the backslash) stands for; -1 for {@code u},
	 * which takes four hex digits ({@link #hex4}), and for anything JSON does not allow.
	 */
	static int escaped(char letter) {
		return switch (letter) {
			case '"', '\\', '/' -> letter;
			case 'b' -> '\b';
			case 'f' -> '\f';
			case 'n' -> '\n';
			case 'r' -> '\r';
			case 't' -> '\t';
			default -> -1;
		};
	}

	/** The code unit written as the four hex digits at {@code at}; -1 unless all four are there and ASCII hex digits. */
	static int hex4(String text, int at) {
		if (at + 4 > text.length()) {
			return -1;
		}
		int value = 0;
		for (int i = at; i < at + 4; i++) {
			char c = text.charAt(i);
			int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
					: (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (digit < 0) {
				return -1;
			}
			value = (value << 4) | digit;
		}
		return value;
	}

	/** JSON's number grammar exactly; an integer as Integer, Long or BigInteger by size, anything else a Double. */
	private Object number() {
		int start = this.at;
		boolean negative = peek() == '-';
		if (negative) {
			this.at++;
		}
		int digitsStart = this.at;
		char first = peek();
		if (first == '0') {
			this.at++;
		}
		else if (first >= '1' && first <= '9') {
			while (this.at < this.length && isDigit(this.text.charAt(this.at))) {
				this.at++;
			}
		}
		else {
			throw Decline.INSTANCE;
		}
		int integerDigits = this.at - digitsStart;
		boolean fraction = false;
		if (this.at < this.length && this.text.charAt(this.at) == '.') {
			fraction = true;
			this.at++;
			digits();
		}
		if (this.at < this.length && (this.text.charAt(this.at) == 'e' || this.text.charAt(this.at) == 'E')) {
			fraction = true;
			this.at++;
			if (this.at < this.length && (this.text.charAt(this.at) == '+' || this.text.charAt(this.at) == '-')) {
				this.at++;
			}
			digits();
		}
		if (this.at < this.length && isDigit(this.text.charAt(this.at))) {
			throw Decline.INSTANCE; // a leading zero followed by digits
		}
		if (fraction) {
			if (this.at - start > MAX_NUMBER_LENGTH) {
				throw Decline.INSTANCE;
			}
			String number = this.text.substring(start, this.at);
			double value = Double.parseDouble(number);
			if (this.canonical && !RubyFloats.format(value).equals(number)) {
				this.canonical = false; // e.g. 1E2, 1.50, 1e400
			}
			return value;
		}
		if (integerDigits > 18) {
			if (integerDigits > MAX_NUMBER_LENGTH) {
				throw Decline.INSTANCE;
			}
			BigInteger big = new BigInteger(this.text.substring(start, this.at));
			return (big.bitLength() < 64) ? (Object) Long.valueOf(big.longValue()) : big;
		}
		long value = 0;
		for (int i = digitsStart; i < this.at; i++) {
			value = value * 10 + (this.text.charAt(i) - '0');
		}
		if (negative) {
			value = -value;
			if (value == 0) {
				this.canonical = false; // -0 is written 0
			}
		}
		return (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) ? (Object) Integer.valueOf((int) value)
				: (Object) Long.valueOf(value);
	}

	private void digits() {
		int start = this.at;
		while (this.at < this.length && isDigit(this.text.charAt(this.at))) {
			this.at++;
		}
		if (this.at == start) {
			throw Decline.INSTANCE;
		}
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	/** Skips whitespace; in escaped mode the only kind a string's content holds unescaped is the space. */
	private void skipWhitespace() {
		while (this.at < this.length) {
			char c = this.text.charAt(this.at);
			if (c != ' ' && (this.escaped || (c != '\t' && c != '\n' && c != '\r'))) {
				return;
			}
			this.at++;
			this.canonical = false;
		}
	}

	/** The document's next character; in escaped mode, the quote or backslash of {@code \"} or {@code \\}. */
	private char peek() {
		if (this.at >= this.length) {
			throw Decline.INSTANCE;
		}
		char c = this.text.charAt(this.at);
		if (this.escaped && (c == '\\' || c == '"' || c < 0x20)) {
			char quoted = (c == '\\' && this.at + 1 < this.length) ? this.text.charAt(this.at + 1) : 0;
			if (quoted != '"' && quoted != '\\') {
				throw Decline.INSTANCE;
			}
			return quoted;
		}
		return c;
	}

	private char next() {
		char c = peek();
		this.at += (this.escaped && this.text.charAt(this.at) == '\\') ? 2 : 1;
		return c;
	}

	/** Thrown to decline; shared, without a stack trace. */
	private static final class Decline extends RuntimeException {

		static final Decline INSTANCE = new Decline();

		private Decline() {
			super(null, null, false, false);
		}

	}

}
