/**
 * Micrometer metrics and observations of the bus; used only when Micrometer is on the classpath.
 */
@NullMarked
package io.resquebus.micrometer;

import org.jspecify.annotations.NullMarked;
