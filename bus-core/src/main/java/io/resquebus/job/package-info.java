/**
 * Plain Resque jobs ({@code Resque.enqueue(Archive, 42, "masterbrew")}), next to the bus: enqueue
 * them in Resque's bytes ({@link io.resquebus.job.ResqueTemplate}) and perform them in the bus's
 * worker ({@link io.resquebus.job.ResqueJob} methods, {@link io.resquebus.job.ResqueJobs}
 * registrations, Resque's hooks as {@link io.resquebus.job.ResqueJobHook}s).
 */
@NullMarked
package io.resquebus.job;

import org.jspecify.annotations.NullMarked;
