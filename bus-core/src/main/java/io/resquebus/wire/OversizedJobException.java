package io.resquebus.wire;

/**
 * A job bigger than the configured maximum payload size. It never reaches a handler and goes to
 * the failed list whole (so it can be inspected, and retried once the limit is raised); retrying
 * it as it is cannot help, its size will not change.
 */
public class OversizedJobException extends MalformedJobException {

	private final long size;

	private final long maxSize;

	/**
	 * @param size the job's size in UTF-8 bytes
	 * @param maxSize the configured maximum in UTF-8 bytes
	 */
	public OversizedJobException(long size, long maxSize) {
		super("Job is " + size + " bytes, over the maximum payload size of " + maxSize + " bytes");
		this.size = size;
		this.maxSize = maxSize;
	}

	public long size() {
		return this.size;
	}

	public long maxSize() {
		return this.maxSize;
	}

}
