package io.resquebus.driver;

import io.resquebus.BusException;

/**
 * A job on the incoming queue the driver cannot route: wrong class, unknown or missing proxy,
 * empty event. Ruby drops such jobs silently; we record them as failures.
 */
public class UnroutableJobException extends BusException {

	public UnroutableJobException(String message) {
		super(message);
	}

}
