package io.resquebus.schedule;

import org.springframework.context.SmartLifecycle;

/**
 * The scheduler runner that will move due delayed events (resque-scheduler's layout) onto their
 * queues. Delayed publishing is not there yet, so for now it only takes part in the lifecycle,
 * switched by {@code resquebus.scheduler.enabled}.
 */
public class SchedulerRunner implements SmartLifecycle {

	private volatile boolean running;

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return io.resquebus.BusRunner.DEFAULT_PHASE;
	}

}
