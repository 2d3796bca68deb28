package io.resquebus.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.QueuePushes;
import io.resquebus.redis.SlotSteps;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.PlainJob;
import org.jspecify.annotations.Nullable;

/**
 * {@link JobOperations} on Redis: each call is the Redis commands Resque sends for it (golden
 * {@code commands_trace.json}), the jobs in the bus's Ruby JSON.
 */
public class ResqueTemplate implements JobOperations {

	private static final BusScript ENQUEUE = BusScript.load("enqueue");

	private static final BusScript DELAY = BusScript.load("delay");

	private final BusRedis redis;

	private final BusSettings settings;

	public ResqueTemplate(BusRedis redis, BusSettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	@Override
	public void enqueue(String queue, String jobClass, @Nullable Object... args) {
		push(JobRequest.of(queue, jobClass, args));
	}

	@Override
	public void enqueue(Object job) {
		push(JobRequest.of(job));
	}

	private void push(JobRequest request) {
		String job = encode(request);
		BusKeys keys = this.settings.keys();
		if (this.redis.cluster()) {
			this.redis.execute((connection) -> {
				SlotSteps.enqueue(connection, keys, request.queue(), List.of(BusRedis.bytes(job)));
				return null;
			});
			return;
		}
		this.redis.run(ENQUEUE, List.of(keys.queues(), keys.queue(request.queue())), List.of(request.queue(), job));
	}

	@Override
	public void enqueueAll(List<JobRequest> jobs) {
		if (jobs.isEmpty()) {
			return;
		}
		if (this.redis.cluster()) {
			// Every job encoded before anything is sent; then one push (one slot) after the other:
			// a Redis failure midway leaves the earlier jobs pushed.
			List<String> encoded = jobs.stream().map(this::encode).toList();
			BusKeys keys = this.settings.keys();
			this.redis.execute((connection) -> {
				for (int i = 0; i < jobs.size(); i++) {
					SlotSteps.enqueue(connection, keys, jobs.get(i).queue(), List.of(BusRedis.bytes(encoded.get(i))));
				}
				return null;
			});
			return;
		}
		QueuePushes pushes = new QueuePushes();
		for (JobRequest request : jobs) {
			pushes.add(request.queue(), encode(request));
		}
		pushes.run(this.redis, this.settings.keys());
	}

	@Override
	public void enqueueAt(Instant at, String queue, String jobClass, @Nullable Object... args) {
		schedule(at, JobRequest.of(queue, jobClass, args));
	}

	@Override
	public void enqueueAt(Instant at, Object job) {
		schedule(at, JobRequest.of(job));
	}

	@Override
	public void enqueueIn(Duration delay, String queue, String jobClass, @Nullable Object... args) {
		schedule(this.settings.clock().instant().plus(delay), JobRequest.of(queue, jobClass, args));
	}

	/** As resque-scheduler: {@code Time#to_i} of the time; not in the future means enqueued at once. */
	private void schedule(Instant at, JobRequest request) {
		long due = at.getEpochSecond();
		if (due <= this.settings.epochSecond()) {
			push(request);
			return;
		}
		String item = this.settings.codec().plainDelayedItem(request.jobClass(), request.args(), request.queue());
		BusKeys keys = this.settings.keys();
		String ts = Long.toString(due);
		if (this.redis.cluster()) {
			this.redis.execute((connection) -> {
				SlotSteps.delay(connection, keys, due, item);
				return null;
			});
			return;
		}
		this.redis.run(DELAY, List.of(keys.delayed(due), keys.timestamps(item), keys.delayedSchedule()),
				List.of(ts, item, BusKeys.delayedMember(ts)));
	}

	@Override
	public long dequeue(String queue, String jobClass) {
		byte[] key = BusRedis.bytes(this.settings.keys().queue(queue));
		return this.redis.execute((connection) -> {
			List<byte[]> jobs = connection.listCommands().lRange(key, 0, -1);
			long removed = 0;
			Set<String> seen = new LinkedHashSet<>();
			for (byte[] raw : (jobs != null) ? jobs : List.<byte[]>of()) {
				String job = BusRedis.string(raw);
				if (seen.add(job) && isOfClass(job, jobClass)) {
					Long count = connection.listCommands().lRem(key, 0, raw);
					removed += (count != null) ? count : 0;
				}
			}
			return removed;
		});
	}

	@Override
	public long dequeue(String queue, String jobClass, @Nullable Object... args) {
		if (args.length == 0) {
			return dequeue(queue, jobClass);
		}
		String job = encode(JobRequest.of(queue, jobClass, args));
		Long removed = this.redis.execute((connection) -> connection.listCommands()
			.lRem(BusRedis.bytes(this.settings.keys().queue(queue)), 0, BusRedis.bytes(job)));
		return (removed != null) ? removed : 0;
	}

	private boolean isOfClass(String job, String jobClass) {
		try {
			return this.settings.codec().parsePlainJob(job).className().equals(jobClass);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@Override
	public long size(String queue) {
		Long size = this.redis.execute(
				(connection) -> connection.listCommands().lLen(BusRedis.bytes(this.settings.keys().queue(queue))));
		return (size != null) ? size : 0;
	}

	@Override
	public @Nullable PlainJob peek(String queue) {
		List<PlainJob> jobs = peek(queue, 0, 1);
		return jobs.isEmpty() ? null : jobs.get(0);
	}

	@Override
	public List<PlainJob> peek(String queue, long start, long count) {
		if (count < 1) {
			return List.of();
		}
		List<byte[]> raws = this.redis.execute((connection) -> connection.listCommands()
			.lRange(BusRedis.bytes(this.settings.keys().queue(queue)), start, start + count - 1));
		List<PlainJob> jobs = new ArrayList<>();
		for (byte[] raw : (raws != null) ? raws : List.<byte[]>of()) {
			jobs.add(this.settings.codec().parsePlainJob(BusRedis.string(raw)));
		}
		return jobs;
	}

	@Override
	public Set<String> queues() {
		Set<byte[]> members = this.redis.execute(
				(connection) -> connection.setCommands().sMembers(BusRedis.bytes(this.settings.keys().queues())));
		Set<String> queues = new java.util.TreeSet<>();
		if (members != null) {
			members.forEach((member) -> queues.add(BusRedis.string(member)));
		}
		return queues;
	}

	@Override
	public void removeQueue(String queue) {
		BusKeys keys = this.settings.keys();
		this.redis.execute((connection) -> {
			connection.setCommands().sRem(BusRedis.bytes(keys.queues()), BusRedis.bytes(queue));
			connection.keyCommands().del(BusRedis.bytes(keys.queue(queue)));
			return null;
		});
	}

	private String encode(JobRequest request) {
		return this.settings.codec().plainJob(request.jobClass(), request.args());
	}

}
