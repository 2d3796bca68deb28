package io.resquebus.runner;

/**
 * A paused runner was resumed through {@link RunnerControl#resume()}.
 */
public class BusRunnerResumedEvent extends BusRunnerEvent {

	BusRunnerResumedEvent(BusRunner runner, String runnerName) {
		super(runner, runnerName);
	}

}
