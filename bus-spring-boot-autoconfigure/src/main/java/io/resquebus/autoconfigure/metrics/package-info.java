/**
 * Auto-configuration of the bus's listeners and Micrometer meters.
 */
@NullMarked
package io.resquebus.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
