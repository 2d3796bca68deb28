/**
 * ResqueBus: asynchronous events between applications over Redis, on the wire format of Ruby's
 * queue-bus/resque-bus. Types shared by every role live here.
 */
@NullMarked
package io.resquebus;

import org.jspecify.annotations.NullMarked;
