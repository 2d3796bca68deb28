/**
 * Spring Boot Actuator support for the bus: the {@code resquebus} health contributor and
 * endpoint. Each is configured only when its Actuator module is on the classpath.
 */
@NullMarked
package io.resquebus.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
