package io.resquebus.runner;

import org.springframework.context.ApplicationEvent;

/**
 * What happened to a driver, worker or scheduler runner, published to the application context as
 * spring-kafka publishes its container events ({@code ContainerStartedEvent}, ...); the source is
 * the runner. Listen with {@code @EventListener} for one kind or for this base type for all.
 */
public abstract class BusRunnerEvent extends ApplicationEvent {

	private final String runnerName;

	BusRunnerEvent(BusRunner runner, String runnerName) {
		super(runner);
		this.runnerName = runnerName;
	}

	/** The runner, e.g. to ask it {@link BusRunner#failedConsumers()} or to {@link BusRunner#start()} it. */
	public BusRunner getRunner() {
		return (BusRunner) getSource();
	}

	/** The runner's name as in its thread names and logs, e.g. {@code resquebus-worker}. */
	public String getRunnerName() {
		return this.runnerName;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.runnerName + "]";
	}

}
