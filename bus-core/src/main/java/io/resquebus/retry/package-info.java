/**
 * Retries with back-off of failed handler runs, as resque-retry's {@code ExponentialBackoff} does
 * for {@code QueueBus::Worker}: policies built on Spring Framework's
 * {@link org.springframework.core.retry.RetryPolicy} and which errors are worth retrying.
 */
@NullMarked
package io.resquebus.retry;

import org.jspecify.annotations.NullMarked;
