package io.resquebus.redis;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * A job moved from a queue into this consumer's in-flight list, not yet acknowledged. It keeps the
 * exact bytes Redis holds, which every removal ({@code LREM}) and hand-back must use: a decoded and
 * re-encoded string differs from them when they are not valid UTF-8, and would match nothing.
 */
public final class FetchedJob {

	private final String queue;

	private final byte[] bytes;

	private final String raw;

	private final @Nullable String invalidUtf8;

	private FetchedJob(String queue, byte[] bytes, String raw, @Nullable String invalidUtf8) {
		this.queue = queue;
		this.bytes = bytes;
		this.raw = raw;
		this.invalidUtf8 = invalidUtf8;
	}

	/** A job as fetched: decoded strictly, so bytes that are not UTF-8 are found, never silently replaced. */
	public static FetchedJob of(String queue, byte[] bytes) {
		String text = BusRedis.string(bytes);
		// Only a text with U+FFFD may hide replaced bytes: the strict decoder runs for those alone.
		return new FetchedJob(queue, bytes, text, (text.indexOf('\uFFFD') < 0) ? null : invalidUtf8(bytes));
	}

	/** The queue name it came from (without namespace). */
	public String queue() {
		return this.queue;
	}

	/** The job exactly as it was on the queue; not to be modified. */
	public byte[] bytes() {
		return this.bytes;
	}

	/** The job as text; with U+FFFD in place of bytes that are not UTF-8 (see {@link #invalidUtf8()}). */
	public String raw() {
		return this.raw;
	}

	/**
	 * {@link #bytes()} when each is an ASCII character, so that positions in {@link #raw()} are
	 * positions in them; else {@code null}.
	 */
	public byte @Nullable [] asciiBytes() {
		// UTF-8 as long as its text is ASCII alone (a byte that is not UTF-8 may be one U+FFFD).
		return (this.invalidUtf8 == null && this.bytes.length == this.raw.length()) ? this.bytes : null;
	}

	/** Where the job's bytes stop being UTF-8, for a failure reason; {@code null} when they are UTF-8. */
	public @Nullable String invalidUtf8() {
		return this.invalidUtf8;
	}

	private static @Nullable String invalidUtf8(byte[] bytes) {
		ByteBuffer in = ByteBuffer.wrap(bytes);
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(in);
			return null; // a genuine U+FFFD
		}
		catch (CharacterCodingException ex) {
			// the decoder stopped at the first malformed input
		}
		int at = in.position();
		StringBuilder shown = new StringBuilder();
		for (int i = at; i < Math.min(bytes.length, at + 4); i++) {
			shown.append(String.format("\\x%02x", bytes[i] & 0xff));
		}
		return "Job is not valid UTF-8: byte " + at + " of " + bytes.length + " starts " + shown;
	}

	@Override
	public String toString() {
		return "FetchedJob[" + this.queue + ", " + this.bytes.length + " bytes]";
	}

}
