package io.resquebus.autoconfigure.actuate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.resquebus.RunnerControl;
import io.resquebus.driver.DriverRunner;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.worker.WorkerRunner;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * This process's runners by name ({@code driver}, {@code worker}, {@code scheduler}): what health
 * reports on and what the endpoint starts and stops. Only the runners configured here are listed.
 */
public final class BusRunners {

	private final Map<String, SmartLifecycle> runners;

	public BusRunners(Map<String, ? extends SmartLifecycle> runners) {
		this.runners = Collections.unmodifiableMap(new LinkedHashMap<>(runners));
	}

	/** The runners that exist, in the order driver, worker, scheduler. */
	public static BusRunners of(@Nullable DriverRunner driver, @Nullable WorkerRunner worker,
			@Nullable SchedulerRunner scheduler) {
		Map<String, SmartLifecycle> runners = new LinkedHashMap<>();
		if (driver != null) {
			runners.put("driver", driver);
		}
		if (worker != null) {
			runners.put("worker", worker);
		}
		if (scheduler != null) {
			runners.put("scheduler", scheduler);
		}
		return new BusRunners(runners);
	}

	public Map<String, SmartLifecycle> all() {
		return this.runners;
	}

	public Optional<SmartLifecycle> find(String name) {
		return Optional.ofNullable(this.runners.get(name));
	}

	/** {@code running}, {@code paused} or {@code stopped} by runner name. */
	public Map<String, String> states() {
		Map<String, String> states = new LinkedHashMap<>();
		this.runners.forEach((name, runner) -> states.put(name, !runner.isRunning() ? "stopped"
				: (runner instanceof RunnerControl control && control.isPaused()) ? "paused" : "running"));
		return states;
	}

	public boolean allRunning() {
		return this.runners.values().stream().allMatch(SmartLifecycle::isRunning);
	}

}
