package io.resquebus;

/**
 * Base class of the bus's own exceptions.
 */
public class BusException extends RuntimeException {

	public BusException(String message) {
		super(message);
	}

	public BusException(String message, Throwable cause) {
		super(message, cause);
	}

}
