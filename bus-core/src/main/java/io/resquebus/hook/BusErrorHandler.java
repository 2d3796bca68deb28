package io.resquebus.hook;

/**
 * Called after a job's failure was recorded (failed list or retry), with the job and what it
 * threw, as Pace's error hooks are. A bean named by a subscription's
 * {@code @BusSubscriber(errorHandler = "...")} serves that subscription only; every other
 * {@code BusErrorHandler} bean serves every job of the worker. What a hook throws is logged and
 * changes nothing.
 */
@FunctionalInterface
public interface BusErrorHandler {

	void handleError(JobError job, Throwable error);

}
