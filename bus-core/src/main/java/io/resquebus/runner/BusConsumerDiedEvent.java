package io.resquebus.runner;

import java.time.Duration;

/**
 * A consumer thread of a runner died of something other than a Redis failure (an {@link Error}
 * included) and is restarted after {@link #getRestartIn()}; as spring-kafka's
 * {@code ConsumerStoppedEvent} with reason {@code ERROR}.
 */
public class BusConsumerDiedEvent extends BusRunnerEvent {

	private final String consumer;

	private final Throwable cause;

	private final Duration restartIn;

	BusConsumerDiedEvent(BusRunner runner, String runnerName, String consumer, Throwable cause,
			Duration restartIn) {
		super(runner, runnerName);
		this.consumer = consumer;
		this.cause = cause;
		this.restartIn = restartIn;
	}

	/** The consumer's thread name, e.g. {@code resquebus-worker-0}. */
	public String getConsumer() {
		return this.consumer;
	}

	/** What it died of. */
	public Throwable getCause() {
		return this.cause;
	}

	/** The back-off before it is restarted. */
	public Duration getRestartIn() {
		return this.restartIn;
	}

}
