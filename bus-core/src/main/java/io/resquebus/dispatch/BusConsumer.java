package io.resquebus.dispatch;

/**
 * Handles one event as the type its subscription asked for (a record or POJO bound from the
 * attributes, the attribute {@code Map} or the {@link io.resquebus.BusEvent}). Throwing sends the
 * job to the failed list.
 *
 * @param <T> what the handler receives
 */
@FunctionalInterface
public interface BusConsumer<T> {

	void accept(T event) throws Exception;

}
