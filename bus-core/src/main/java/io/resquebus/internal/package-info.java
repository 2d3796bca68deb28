/**
 * Internal: shared by the bus's own packages and its test support, not an API; may change
 * in any release. Binds events to handler parameters and delivers events in process.
 */
@NullMarked
package io.resquebus.internal;

import org.jspecify.annotations.NullMarked;
