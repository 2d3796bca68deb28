/**
 * The Redis wire format of Ruby queue-bus/resque-bus: keys, job envelopes, event attributes
 * and Ruby-compatible JSON. The only package that builds Redis keys or job JSON.
 */
@NullMarked
package io.resquebus.wire;

import org.jspecify.annotations.NullMarked;
