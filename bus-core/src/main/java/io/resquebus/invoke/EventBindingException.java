package io.resquebus.invoke;

import io.resquebus.BusException;

/**
 * An event's attributes cannot be turned into the object its handler takes (a string where a
 * number is needed, a value its constructor refuses, ...). The event will not change, so retrying
 * cannot fix it: the job goes to the failed list with this message as the reason.
 */
public class EventBindingException extends BusException {

	public EventBindingException(String message, Throwable cause) {
		super(message, cause);
	}

}
