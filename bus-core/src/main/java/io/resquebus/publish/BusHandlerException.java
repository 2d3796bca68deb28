package io.resquebus.publish;

import java.util.concurrent.Callable;

import io.resquebus.BusException;

/**
 * A handler that ran in the publishing thread (a synchronous subscriber, or any handler in the
 * inline local mode) threw a checked exception, which is the cause. Unchecked exceptions and errors
 * reach the publisher as they are.
 */
public class BusHandlerException extends BusException {

	public BusHandlerException(String message, Throwable cause) {
		super(message, cause);
	}

	/** Runs handlers, letting unchecked exceptions through and wrapping checked ones. */
	static <T> T call(Callable<T> handlers) {
		try {
			return handlers.call();
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new BusHandlerException("Handler failed in the publishing thread: " + ex, ex);
		}
	}

}
