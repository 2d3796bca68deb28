package io.resquebus.runner;

/**
 * A runner stopped: its consumers finished, or were given up on after the shutdown timeout.
 */
public class BusRunnerStoppedEvent extends BusRunnerEvent {

	BusRunnerStoppedEvent(BusRunner runner, String runnerName) {
		super(runner, runnerName);
	}

}
