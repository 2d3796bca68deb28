package io.resquebus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.wire.BusKeys;

/**
 * Jobs for several Resque queues, pushed all or none by one script, each queue registered as
 * {@code Resque.push} registers it. Grouped by queue, in the order they were added within each, so
 * that each queue takes one {@code RPUSH} however many of the jobs are its own.
 */
public final class QueuePushes {

	private static final BusScript PUSH = BusScript.load("push");

	private final Map<String, List<String>> byQueue = new LinkedHashMap<>();

	private int size;

	/** Adds a job for a queue (its name, without namespace); a queue keeps the order of its jobs. */
	public QueuePushes add(String queue, String job) {
		this.byQueue.computeIfAbsent(queue, (name) -> new ArrayList<>()).add(job);
		this.size++;
		return this;
	}

	public boolean isEmpty() {
		return this.size == 0;
	}

	/** Pushes every job, waiting as long as the client's own command timeout. */
	public void run(BusRedis redis, BusKeys keys) {
		if (!isEmpty()) {
			redis.run(PUSH, scriptKeys(keys), args());
		}
	}

	/** Pushes every job, waiting at most {@code timeout} (see {@link BusRedis#run(BusScript, List, List, Duration)}). */
	public void run(BusRedis redis, BusKeys keys, Duration timeout) {
		if (!isEmpty()) {
			redis.run(PUSH, scriptKeys(keys), args(), timeout);
		}
	}

	private List<String> scriptKeys(BusKeys keys) {
		List<String> scriptKeys = new ArrayList<>(1 + this.byQueue.size());
		scriptKeys.add(keys.queues());
		this.byQueue.keySet().forEach((queue) -> scriptKeys.add(keys.queue(queue)));
		return scriptKeys;
	}

	private List<String> args() {
		List<String> args = new ArrayList<>(this.size + 2 * this.byQueue.size());
		this.byQueue.forEach((queue, jobs) -> {
			args.add(queue);
			args.add(Integer.toString(jobs.size()));
			args.addAll(jobs);
		});
		return args;
	}

}
