/**
 * ResqueBus: asynchronous events between applications over Redis, on the wire format of Ruby's
 * queue-bus/resque-bus. The API types every part shares live here: events, handlers, listeners,
 * settings; the runners are in {@code io.resquebus.runner}.
 */
@NullMarked
package io.resquebus;

import org.jspecify.annotations.NullMarked;
