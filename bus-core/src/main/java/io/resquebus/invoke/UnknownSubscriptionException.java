package io.resquebus.invoke;

import io.resquebus.BusException;

/**
 * A job on this app's queue names an app or a subscription this app does not have (for
 * example one removed from the code while its jobs were queued). Retrying cannot fix it.
 */
public class UnknownSubscriptionException extends BusException {

	public UnknownSubscriptionException(String message) {
		super(message);
	}

}
