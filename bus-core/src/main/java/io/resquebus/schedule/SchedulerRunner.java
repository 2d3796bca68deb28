package io.resquebus.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import io.resquebus.BusSettings;
import io.resquebus.driver.Heartbeat;
import io.resquebus.failure.Failures;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.HashSlots;
import io.resquebus.redis.SlotSteps;
import io.resquebus.runner.BusRunner;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.DueJob;
import io.resquebus.wire.MalformedJobException;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Moves due delayed items (resque-scheduler's layout, spec 8.3) onto their queues, so delayed
 * events work without a Ruby resque-scheduler, and next to one. Every poll interval it takes the
 * earliest due second until none is left and moves its items in batches, each batch in one script
 * that first checks the batch is still at the head of the list: any number of Java and Ruby
 * schedulers can run at once and each item moves exactly once. An item it cannot move (no
 * {@code queue}, not JSON) goes to the failed list rather than being lost.
 *
 * <p>It never takes resque-scheduler's master lock nor writes its cron state: a Ruby scheduler on
 * the same Redis keeps running its cron jobs (the bus heartbeat among them).
 *
 * <p>With a {@link #setHeartbeat(Heartbeat) heartbeat} it also runs queue-bus's minute heartbeat
 * once each minute, so a fleet without Ruby publishes {@code heartbeat_minutes} too. It takes the
 * lock and the timestamp queue-bus's {@code QueueBus::Heartbeat} takes, so any number of Java
 * schedulers and Ruby heartbeat runners together publish each minute exactly once.
 */
public class SchedulerRunner extends BusRunner {

	/** resque-scheduler's batch size (4.9 and later), also the largest one allowed. */
	public static final int MAX_BATCH_SIZE = 100;

	private static final BusScript DUE = BusScript.load("due");

	private static final BusScript LEASE = BusScript.load("lease");

	private final BusSettings settings;

	private final Duration pollInterval;

	private final int batchSize;

	private final String consumerId;

	private volatile @Nullable Heartbeat heartbeat;

	/** The minute the heartbeat last ran in (only the scheduler's thread reads and writes it). */
	private long heartbeatMinute = Long.MIN_VALUE;

	/**
	 * @param pollInterval how long to wait between looking for due items
	 * @param batchSize how many items of one second one script moves, 1 to {@value #MAX_BATCH_SIZE}
	 */
	public SchedulerRunner(BusRedis redis, BusSettings settings, Duration pollInterval, int batchSize) {
		super(redis, "resquebus-scheduler");
		if (pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalArgumentException("Scheduler poll interval must be positive, got " + pollInterval);
		}
		if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
			throw new IllegalArgumentException(
					"Scheduler batch size must be between 1 and " + MAX_BATCH_SIZE + ", got " + batchSize);
		}
		this.settings = settings;
		this.pollInterval = pollInterval;
		this.batchSize = batchSize;
		this.consumerId = consumerId(settings.hostname(), List.of("scheduler"));
	}

	/** How long the runner waits between looks for due items. */
	public Duration pollInterval() {
		return this.pollInterval;
	}

	/** How many items of one due second one atomic step moves at most. */
	public int batchSize() {
		return this.batchSize;
	}

	/** The worker id written into failure entries of items that could not be moved. */
	public String consumerId() {
		return this.consumerId;
	}

	/** Runs queue-bus's minute heartbeat each minute too; {@code null} (the default) leaves it to others. */
	public void setHeartbeat(@Nullable Heartbeat heartbeat) {
		this.heartbeat = heartbeat;
	}

	public @Nullable Heartbeat heartbeat() {
		return this.heartbeat;
	}

	@Override
	protected int consumers() {
		return 1;
	}

	/** Each batch is one atomic script: abandoning a call leaves it either done or not done at all. */
	@Override
	protected boolean interruptOnStop() {
		return true;
	}

	@Override
	protected void poll(int consumer, RedisConnection connection) {
		long nanos = System.nanoTime();
		int moved = moveDue(connection);
		if (moved > 0) {
			this.logger.debug("Moved {} due delayed item(s)", moved);
		}
		beatOncePerMinute();
		sleepUntil(nanos + this.pollInterval.toNanos());
	}

	/**
	 * Tries the heartbeat once in each new minute: its lock and timestamp decide whether this run
	 * publishes anything, and a failed run's minute is caught up by the next one.
	 */
	private void beatOncePerMinute() {
		Heartbeat heartbeat = this.heartbeat;
		long minute = Math.floorDiv(this.settings.epochSecond(), 60);
		if (heartbeat == null || minute == this.heartbeatMinute || !isRunning()) {
			return;
		}
		this.heartbeatMinute = minute;
		try {
			int published = heartbeat.beat();
			if (published > 0) {
				this.logger.debug("Published {} heartbeat minute(s)", published);
			}
		}
		catch (RuntimeException ex) {
			this.logger.warn("Heartbeat failed; the next minute's run catches up: {}", ex.toString());
		}
	}

	/**
	 * Moves every item due now, one second after the other, earliest first.
	 * @return how many items were moved (failed ones included)
	 */
	private int moveDue(RedisConnection connection) {
		if (HashSlots.isCluster(connection) && !holdsLease(connection)) {
			return 0;
		}
		int moved = 0;
		String timestamp;
		while (isRunning() && (timestamp = nextDue(connection)) != null) {
			moved += moveAll(connection, timestamp);
		}
		return moved;
	}

	private @Nullable String nextDue(RedisConnection connection) {
		// ZRANGEBYSCORE delayed_queue_schedule -inf <now> LIMIT 0 1, as resque-scheduler asks.
		Range<Long> dueNow = Range.of(Range.Bound.unbounded(), Range.Bound.inclusive(this.settings.epochSecond()));
		Set<byte[]> due = connection.zSetCommands()
			.zRangeByScore(bytes(this.settings.keys().delayedSchedule()), dueNow, Limit.limit().count(1));
		return (due == null || due.isEmpty()) ? null : BusRedis.string(due.iterator().next());
	}

	private int moveAll(RedisConnection connection, String timestamp) {
		if (HashSlots.isCluster(connection)) {
			return moveAllInSteps(connection, timestamp);
		}
		BusKeys keys = this.settings.keys();
		byte[] list = bytes(keys.delayed(timestamp));
		int moved = 0;
		while (isRunning()) {
			List<byte[]> read = connection.listCommands().lRange(list, 0, this.batchSize - 1);
			List<String> items = new ArrayList<>((read != null) ? read.size() : 0);
			if (read != null) {
				read.forEach((item) -> items.add(BusRedis.string(item)));
			}
			long left = moveBatch(connection, timestamp, items);
			if (left >= 0) {
				moved += items.size();
				if (left == 0) {
					break;
				}
			}
			// left < 0: another scheduler changed the head of the list first; read it again.
		}
		return moved;
	}

	/**
	 * Cluster mode: whether this scheduler holds the lease that lets one scheduler at a time move due
	 * items; another takes over when it lapses (after ten poll intervals, at least 5 s).
	 */
	private boolean holdsLease(RedisConnection connection) {
		return lease(connection, Math.max(5000, this.pollInterval.toMillis() * 10));
	}

	/** Takes or renews the lease for {@code ttlMillis}, or gives it back when 0. */
	private boolean lease(RedisConnection connection, long ttlMillis) {
		List<@Nullable Object> reply = BusRedis.run(connection, LEASE, List.of(this.settings.keys().schedulerLease()),
				List.of(this.consumerId, Long.toString(ttlMillis)));
		return !reply.isEmpty() && reply.get(0) instanceof Number held && held.intValue() == 1;
	}

	/**
	 * Cluster mode: gives the lease back at stop, so another scheduler takes over at its next poll
	 * instead of when the lease lapses. Best effort: a lease not given back still lapses.
	 */
	@Override
	protected void finish(int consumer, RedisConnection connection) {
		if (!HashSlots.isCluster(connection)) {
			return;
		}
		Thread.interrupted(); // stop() interrupts this thread; the release must still reach Redis
		try {
			lease(connection, 0);
		}
		catch (RuntimeException ex) {
			this.logger.debug("Scheduler lease not given back; it lapses by itself", ex);
		}
	}

	/**
	 * Cluster mode: one item at a time, each pushed onto its queue before it leaves the delayed list
	 * (if still at its head), the due time leaving the schedule once its list is empty. A crash, or
	 * another scheduler taking the same head, may push an item twice; none is lost.
	 */
	private int moveAllInSteps(RedisConnection connection, String timestamp) {
		BusKeys keys = this.settings.keys();
		String list = keys.delayed(timestamp);
		String member = BusKeys.delayedMember(timestamp);
		int moved = 0;
		while (isRunning()) {
			byte[] head = connection.listCommands().lIndex(bytes(list), 0);
			if (head == null) {
				SlotSteps.call(connection, keys.delayedSchedule(), "ZREM", timestamp);
				Long left = connection.listCommands().lLen(bytes(list));
				if (left != null && left > 0) { // scheduled again meanwhile
					SlotSteps.call(connection, keys.delayedSchedule(), "ZADD", timestamp, timestamp);
				}
				break;
			}
			String item = BusRedis.string(head);
			try {
				DueJob due = this.settings.codec().dueJob(item);
				SlotSteps.enqueue(connection, keys, due.queue(), List.of(bytes(due.job())));
			}
			catch (MalformedJobException ex) {
				this.logger.warn("Delayed item due at {} cannot be enqueued and goes to the failed list: {}", timestamp,
						ex.getMessage());
				SlotSteps.call(connection, keys.failed(), "RPUSH", this.settings.codec()
					.failure(Failures.entry(item, member, this.consumerId, ex, this.settings.clock())));
			}
			if (SlotSteps.popHead(connection, list, item) >= 0) {
				SlotSteps.call(connection, keys.timestamps(item), "SREM", member);
				moved++;
			}
		}
		return moved;
	}

	private long moveBatch(RedisConnection connection, String timestamp, List<String> items) {
		BusKeys keys = this.settings.keys();
		List<String> scriptKeys = new ArrayList<>(3 + items.size() * 2);
		scriptKeys.add(keys.delayed(timestamp));
		scriptKeys.add(keys.delayedSchedule());
		scriptKeys.add(keys.queues());
		List<String> args = new ArrayList<>(3 + items.size() * 3);
		args.add(timestamp);
		args.add(BusKeys.delayedMember(timestamp));
		args.add(Integer.toString(items.size()));
		for (String item : items) {
			scriptKeys.add(keys.timestamps(item));
			args.add(item);
			try {
				DueJob due = this.settings.codec().dueJob(item);
				scriptKeys.add(keys.queue(due.queue()));
				args.add(due.queue());
				args.add(due.job());
			}
			catch (MalformedJobException ex) {
				this.logger.warn("Delayed item due at {} cannot be enqueued and goes to the failed list: {}", timestamp,
						ex.getMessage());
				scriptKeys.add(keys.failed());
				args.add("");
				args.add(this.settings.codec()
					.failure(Failures.entry(item, BusKeys.delayedMember(timestamp), this.consumerId, ex,
							this.settings.clock())));
			}
		}
		List<@Nullable Object> result = BusRedis.run(connection, DUE, scriptKeys, args);
		return (!result.isEmpty() && result.get(0) instanceof Number left) ? left.longValue() : -1;
	}

	/** Waits without spinning; {@link #stop()} unparks the thread so it ends at once. */
	private void sleepUntil(long deadline) {
		long remaining;
		while (isRunning() && (remaining = deadline - System.nanoTime()) > 0) {
			LockSupport.parkNanos(this, remaining);
		}
	}

	private static byte[] bytes(String value) {
		return BusRedis.bytes(value);
	}

}
