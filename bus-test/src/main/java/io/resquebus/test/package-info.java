/**
 * Testing apps on the bus without Redis: {@link io.resquebus.test.RecordingBusOperations} records what
 * is published and {@link io.resquebus.test.BusAssertions} asserts on it.
 */
@NullMarked
package io.resquebus.test;

import org.jspecify.annotations.NullMarked;
