package io.resquebus.job;

import io.resquebus.wire.MalformedJobException;

/**
 * A plain job whose {@code args} do not fit its handler's parameters (Ruby's {@code ArgumentError}
 * of a wrong arity, or a value of the wrong type). Never retried: retrying cannot fix it.
 */
public class JobArgumentException extends MalformedJobException {

	public JobArgumentException(String message) {
		super(message);
	}

	public JobArgumentException(String message, Throwable cause) {
		super(message, cause);
	}

}
