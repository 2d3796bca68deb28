/**
 * The programmatic way to subscribe, in the spirit of queue-bus's {@code dispatch} block:
 * {@link io.resquebus.dispatch.BusDispatchConfigurer} beans declare subscriptions on a
 * {@link io.resquebus.dispatch.BusDispatch}, into the same registry as {@code @BusSubscriber}.
 */
@NullMarked
package io.resquebus.dispatch;

import org.jspecify.annotations.NullMarked;
