/**
 * Auto-configuration of ResqueBus: properties, the bus beans and subscriber scanning.
 */
@NullMarked
package io.resquebus.autoconfigure;

import org.jspecify.annotations.NullMarked;
