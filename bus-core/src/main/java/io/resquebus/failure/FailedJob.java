package io.resquebus.failure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.resquebus.wire.FailureEntry;

/**
 * One entry of the failed list as read at a position. Actions on it check that the entry is still
 * there, byte for byte, so a list that shifted meanwhile never makes them touch another job.
 *
 * @param index its position in the failed list when read (0 is the oldest)
 * @param raw the entry exactly as stored
 * @param entry the entry decoded
 */
public record FailedJob(long index, String raw, FailureEntry entry) {

	/** SHA-1 of the stored entry: names it together with its index in APIs and endpoints. */
	public String digest() {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(this.raw.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
