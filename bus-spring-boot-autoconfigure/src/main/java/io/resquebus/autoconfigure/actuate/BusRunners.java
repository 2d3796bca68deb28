package io.resquebus.autoconfigure.actuate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.resquebus.driver.DriverRunner;
import io.resquebus.runner.RunnerControl;
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

	/**
	 * {@code running}, {@code paused}, {@code stopped} or {@code failing} (a consumer died and is not
	 * working again yet: see {@link RunnerControl#failedConsumers()}) by runner name.
	 */
	public Map<String, String> states() {
		Map<String, String> states = new LinkedHashMap<>();
		this.runners.forEach((name, runner) -> states.put(name, !runner.isRunning() ? "stopped"
				: !failedConsumers(runner).isEmpty() ? "failing"
				: (runner instanceof RunnerControl control && control.isPaused()) ? "paused" : "running"));
		return states;
	}

	/** Every runner runs and none has a consumer that died and is not working again yet. */
	public boolean allRunning() {
		return this.runners.values().stream().allMatch((runner) -> runner.isRunning() && failedConsumers(runner).isEmpty());
	}

	/** The consumers that do not work now, by thread name, with the reason, of every runner that has some. */
	public Map<String, Map<String, String>> failedConsumers() {
		Map<String, Map<String, String>> failed = new LinkedHashMap<>();
		this.runners.forEach((name, runner) -> {
			Map<String, String> consumers = failedConsumers(runner);
			if (!consumers.isEmpty()) {
				failed.put(name, consumers);
			}
		});
		return failed;
	}

	private static Map<String, String> failedConsumers(SmartLifecycle runner) {
		return (runner instanceof RunnerControl control) ? control.failedConsumers() : Map.of();
	}

}
