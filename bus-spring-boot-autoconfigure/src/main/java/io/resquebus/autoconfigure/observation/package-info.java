/**
 * Auto-configuration of the bus's Micrometer observations (timers and trace spans).
 */
@NullMarked
package io.resquebus.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
