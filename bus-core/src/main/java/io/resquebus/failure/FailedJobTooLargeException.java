package io.resquebus.failure;

import io.resquebus.BusException;

/** A failed entry is larger than the caller agreed to read whole. */
public class FailedJobTooLargeException extends BusException {

	private final long index;

	private final String digest;

	private final long bytes;

	public FailedJobTooLargeException(long index, String digest, long bytes, long maxBytes) {
		super("Failed entry " + index + " is " + bytes + " bytes, more than the " + maxBytes + " asked for");
		this.index = index;
		this.digest = digest;
		this.bytes = bytes;
	}

	/** The entry's position. */
	public long index() {
		return this.index;
	}

	/** The entry's digest, as {@link FailedJob#digest()}. */
	public String digest() {
		return this.digest;
	}

	/** The entry's size in bytes. */
	public long bytes() {
		return this.bytes;
	}

}
