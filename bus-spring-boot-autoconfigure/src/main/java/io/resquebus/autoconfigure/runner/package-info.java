/**
 * Auto-configuration of the bus's runners: driver, worker and scheduler, each switched on or off
 * by its own property.
 */
@NullMarked
package io.resquebus.autoconfigure.runner;

import org.jspecify.annotations.NullMarked;
