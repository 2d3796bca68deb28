package io.resquebus.wire;

/**
 * A job bigger than the configured maximum payload size. It never leaves Redis: the fetch script
 * moves it to the failed list with only its head kept (so reading the failed list never loads it);
 * retrying it as it is could not help, its size will not change.
 */
public class OversizedJobException extends MalformedJobException {

	private final long size;

	private final long maxSize;

	/**
	 * @param size the job's size in UTF-8 bytes
	 * @param maxSize the configured maximum in UTF-8 bytes
	 */
	public OversizedJobException(long size, long maxSize) {
		super(message(Long.toString(size), Long.toString(maxSize)));
		this.size = size;
		this.maxSize = maxSize;
	}

	/** The message for a job of {@code size} bytes over the limit {@code maxSize}, both as written. */
	public static String message(String size, String maxSize) {
		return "Job is " + size + " bytes, over the maximum payload size of " + maxSize + " bytes";
	}

	public long size() {
		return this.size;
	}

	public long maxSize() {
		return this.maxSize;
	}

}
