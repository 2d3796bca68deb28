package io.resquebus.hook;

import io.resquebus.BusEvent;

/**
 * Runs around every invocation of a subscriber ({@code @BusSubscriber} methods and those of
 * {@code BusDispatchConfigurer}s, in the worker and in synchronous delivery), in the order of the
 * interceptor beans ({@code @Order} / {@code Ordered}), as ActionEvent's before filters do. One subscription can
 * leave an interceptor out by its bean name: {@code @BusSubscriber(skipInterceptors = "audit")}.
 */
public interface BusHandlerInterceptor {

	/**
	 * Before the handler, in order.
	 * @return {@code false} to skip the handler and the interceptors after this one: the job
	 * counts as done (acknowledged, not failed); throwing fails it instead
	 */
	default boolean beforeHandle(BusEvent event, String subscriptionKey) throws Exception {
		return true;
	}

	/** After the handler returned, in reverse order, for each interceptor whose before passed. */
	default void afterHandle(BusEvent event, String subscriptionKey) throws Exception {
	}

	/**
	 * When the handler or an interceptor threw, in reverse order, for each interceptor whose
	 * before passed; the exception then goes on to be recorded as the job's failure.
	 */
	default void onError(BusEvent event, String subscriptionKey, Throwable error) {
	}

}
