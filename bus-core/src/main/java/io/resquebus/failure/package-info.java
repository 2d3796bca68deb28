/**
 * Failures: Resque-compatible entries on the failed list.
 */
@NullMarked
package io.resquebus.failure;

import org.jspecify.annotations.NullMarked;
