/**
 * Runners: consumer threads that poll Redis (the base of the driver, worker and scheduler),
 * their pause switch, the consumer registry (leases, Resque worker entries), the recovery of dead
 * consumers' jobs and the maintenance thread that renews and recovers.
 */
@NullMarked
package io.resquebus.runner;

import org.jspecify.annotations.NullMarked;
