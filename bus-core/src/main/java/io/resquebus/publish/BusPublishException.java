package io.resquebus.publish;

import io.resquebus.BusException;

/**
 * Redis did not take a published event; the event was not published. The subclass
 * {@link BusPublishTimeoutException} tells that Redis did not answer in time, in which case the
 * event may still have been published.
 */
public class BusPublishException extends BusException {

	public BusPublishException(String message, Throwable cause) {
		super(message, cause);
	}

}
