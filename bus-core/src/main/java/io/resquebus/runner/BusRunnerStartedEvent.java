package io.resquebus.runner;

/**
 * A runner started its consumer threads.
 */
public class BusRunnerStartedEvent extends BusRunnerEvent {

	private final int consumers;

	BusRunnerStartedEvent(BusRunner runner, String runnerName, int consumers) {
		super(runner, runnerName);
		this.consumers = consumers;
	}

	/** How many consumer threads it started. */
	public int getConsumers() {
		return this.consumers;
	}

}
