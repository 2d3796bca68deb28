package io.resquebus.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.wire.BusKeys;
import org.springframework.dao.DataAccessException;

/**
 * The default, {@code queued} mode, as queue-bus publishes: events go onto {@code bus_incoming},
 * where a driver (Java or Ruby) fans them out; delayed events go to resque-scheduler's delayed set.
 */
public class QueuedTransport implements EventTransport {

	private static final BusScript ENQUEUE = BusScript.load("enqueue");

	private static final BusScript DELAY = BusScript.load("delay");

	protected final BusRedis redis;

	protected final BusSettings settings;

	public QueuedTransport(BusRedis redis, BusSettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	@Override
	public void send(List<String> jobs, String what) {
		BusKeys keys = this.settings.keys();
		List<String> args = new ArrayList<>(jobs.size() + 1);
		args.add(BusKeys.INCOMING_QUEUE);
		args.addAll(jobs);
		try {
			this.redis.run(ENQUEUE, List.of(keys.queues(), keys.queue(BusKeys.INCOMING_QUEUE)), args);
		}
		catch (DataAccessException ex) {
			throw failure(what, ex);
		}
	}

	@Override
	public void schedule(long due, Map<String, Object> delayed, String what) {
		BusKeys keys = this.settings.keys();
		String item = this.settings.codec().delayedItem(delayed, BusKeys.INCOMING_QUEUE);
		try {
			this.redis.run(DELAY, List.of(keys.delayed(due), keys.timestamps(item), keys.delayedSchedule()),
					List.of(Long.toString(due), item, "delayed:" + due));
		}
		catch (DataAccessException ex) {
			throw failure(what, ex);
		}
	}

	/** The exception a publisher gets when Redis did not take what it sent. */
	protected BusPublishException failure(String what, DataAccessException ex) {
		return new BusPublishException(
				"Could not publish " + what + " to Redis at " + this.redis.describe() + ": " + ex.getMessage(), ex);
	}

}
