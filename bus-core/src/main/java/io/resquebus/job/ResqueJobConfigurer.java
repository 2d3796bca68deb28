package io.resquebus.job;

/**
 * Registers plain-job handlers in code, as {@link io.resquebus.dispatch.BusDispatchConfigurer}
 * does for subscriptions: a bean of this type is applied once all singletons exist, e.g.
 * {@code jobs -> jobs.handle("Archive", "file_serve", job -> archive(job.arg(0)))}.
 */
@FunctionalInterface
public interface ResqueJobConfigurer {

	void configure(ResqueJobs jobs);

}
