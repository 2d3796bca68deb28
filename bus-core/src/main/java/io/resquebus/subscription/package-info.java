/**
 * Subscriptions: what an application listens to, how an event is matched against them
 * (queue-bus semantics, Ruby regular expressions) and how they are stored in Redis.
 */
@NullMarked
package io.resquebus.subscription;

import org.jspecify.annotations.NullMarked;
