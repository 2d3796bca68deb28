package io.resquebus.runner;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A runner was paused through {@link RunnerControl#pause()} or {@link RunnerControl#pause(Duration)}
 * (not Resque's {@code pause-all-workers} flag, which it only reads).
 */
public class BusRunnerPausedEvent extends BusRunnerEvent {

	private final @Nullable Duration duration;

	BusRunnerPausedEvent(BusRunner runner, String runnerName, @Nullable Duration duration) {
		super(runner, runnerName);
		this.duration = duration;
	}

	/** How long the pause lasts; {@code null} until resumed. */
	public @Nullable Duration getDuration() {
		return this.duration;
	}

}
