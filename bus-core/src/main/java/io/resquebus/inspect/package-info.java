/**
 * Read-only views of a bus's Redis for operators (health checks, endpoints): queues, workers and
 * the schedule, each read in a bounded number of round trips whatever their sizes.
 */
@NullMarked
package io.resquebus.inspect;

import org.jspecify.annotations.NullMarked;
