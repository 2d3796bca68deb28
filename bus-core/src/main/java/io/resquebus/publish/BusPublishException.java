package io.resquebus.publish;

import io.resquebus.BusException;

/**
 * Redis did not take a published event; the event was not published.
 */
public class BusPublishException extends BusException {

	public BusPublishException(String message, Throwable cause) {
		super(message, cause);
	}

}
