package io.resquebus.runner;

import java.time.Duration;
import java.util.Map;

/**
 * What an operator may do to a running bus runner (driver, worker, scheduler) at runtime: stop
 * and start it, or pause it, indefinitely or for a while. A paused or stopped runner fetches
 * nothing new; the jobs it already fetched finish, so nothing is lost or run twice.
 */
public interface RunnerControl {

	/** Starts consuming; a runner stopped before starts again with fresh threads and connections. */
	void start();

	/** Stops consuming after the jobs in hand; unstarted fetched jobs go back to the head of their queue. */
	void stop();

	boolean isRunning();

	/** Stops fetching until {@link #resume()}; jobs already fetched finish. */
	void pause();

	/** Stops fetching for the given time, then resumes by itself (or earlier on {@link #resume()}). */
	void pause(Duration duration);

	/** Resumes fetching after {@link #pause()}; does not override Resque's {@code pause-all-workers}. */
	void resume();

	/** Whether this runner does not fetch now: paused here, or (for queue runners) by {@code pause-all-workers}. */
	boolean isPaused();

	/**
	 * The consumers of a running runner that do not work now (one died and waits to restart, say), by
	 * thread name, with the reason; empty when all is well or the runner is stopped.
	 */
	default Map<String, String> failedConsumers() {
		return Map.of();
	}

}
