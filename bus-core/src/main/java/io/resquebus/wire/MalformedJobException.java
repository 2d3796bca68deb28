package io.resquebus.wire;

/**
 * A job on a queue that is not a bus job the wire format describes: not JSON, no
 * {@code class}, {@code args} not one JSON string, and so on. Never retried: retrying cannot fix it.
 */
public class MalformedJobException extends RuntimeException {

	public MalformedJobException(String message) {
		super(message);
	}

	public MalformedJobException(String message, Throwable cause) {
		super(message, cause);
	}

}
