/**
 * The scheduler runner: delayed events (resque-scheduler layout).
 */
@NullMarked
package io.resquebus.schedule;

import org.jspecify.annotations.NullMarked;
