/**
 * Fault tests: killed worker processes, a Redis restart, bad input and stopping mid-work, on
 * real Redis servers and real processes.
 */
@NullMarked
package io.resquebus.fault;

import org.jspecify.annotations.NullMarked;
