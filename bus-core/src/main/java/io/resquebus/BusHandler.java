package io.resquebus;

/**
 * Handles one event delivered to a subscription. Throwing sends the job to the failed list.
 */
@FunctionalInterface
public interface BusHandler {

	void handle(BusEvent event) throws Exception;

}
