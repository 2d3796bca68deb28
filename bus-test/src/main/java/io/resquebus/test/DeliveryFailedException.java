package io.resquebus.test;

import io.resquebus.BusException;

/**
 * A handler threw a checked exception while a recorded event was delivered to it; unchecked
 * exceptions reach the caller as they are.
 */
public class DeliveryFailedException extends BusException {

	public DeliveryFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
