package io.resquebus.driver;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.resquebus.BusListener;
import io.resquebus.BusSettings;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.redis.FetchedBatch;
import io.resquebus.redis.FetchedJob;
import io.resquebus.redis.QueueFetcher;
import io.resquebus.runner.QueueRunner;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.SubscriptionIndex;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.BusKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Runs the driver: takes batches of jobs from {@code bus_incoming} (reliably; with partitions, each
 * consumer from one of them, see {@link BusKeys#incomingQueues()}), reads the registry
 * once per batch and pushes every fanned-out job of the batch, together with the removal of the
 * driven jobs from the in-flight list, in one atomic script. A heartbeat job runs the
 * {@link Heartbeat} (which publishes on its own) and is then committed like any driven job. Jobs it
 * cannot route go to the failed list; the driver goes on.
 */
public class DriverRunner extends QueueRunner {

	private final SubscriptionRegistry registry;

	private final Driver driver;

	private final Heartbeat heartbeat;

	private int consumers = 1;

	/** The queue list of the consumers of each partition of {@code bus_incoming}. */
	private final List<List<String>> partitions;

	/** The commit in cluster mode, else {@code null}. */
	private final @Nullable ClusterFanOut clusterFanOut;

	/**
	 * A driver whose heartbeat publishes through a plain {@link BusTemplate} and uses the system
	 * default zone, as Ruby uses {@code TZ}.
	 */
	public DriverRunner(BusRedis redis, BusSettings settings, SubscriptionRegistry registry, int batchSize,
			Duration blockTimeout) {
		this(redis, settings, registry, batchSize, blockTimeout,
				new Heartbeat(redis, settings, new BusTemplate(redis, settings), ZoneId.systemDefault()));
	}

	public DriverRunner(BusRedis redis, BusSettings settings, SubscriptionRegistry registry, int batchSize,
			Duration blockTimeout, Heartbeat heartbeat) {
		super(redis, "resquebus-driver", settings, batchSize, blockTimeout);
		this.registry = registry;
		this.driver = new Driver(settings);
		this.heartbeat = heartbeat;
		this.clusterFanOut = ClusterFanOut.of(redis, settings.keys());
		this.partitions = settings.keys().incomingQueues().stream().map(List::of).toList();
	}

	/** Bounds the work of each subscription's regex match; see {@link MatchBudget}. */
	public void setMatchBudget(MatchBudget matchBudget) {
		this.driver.setMatchBudget(matchBudget);
	}

	public void setConsumers(int consumers) {
		this.consumers = Math.max(1, consumers);
	}

	/** With partitions of {@code bus_incoming}, raised to a multiple of their count: as many on each. */
	@Override
	protected int consumers() {
		int partitions = this.partitions.size();
		return (this.consumers + partitions - 1) / partitions * partitions;
	}

	@Override
	protected List<String> queues() {
		return this.settings.keys().incomingQueues();
	}

	/** The registry version, read by each fetch so that a batch costs no round trip for it (standalone Redis). */
	@Override
	protected @Nullable String readWithEachFetch() {
		return (this.clusterFanOut == null) ? this.settings.keys().registryVersion() : null;
	}

	/** Each consumer works one partition, fetching from it alone, so a batch commits in its slot. */
	@Override
	protected List<String> queues(int consumer, RedisConnection connection) {
		return this.partitions.get(consumer % this.partitions.size());
	}

	@Override
	protected void handle(RedisConnection connection, FetchedBatch fetched) {
		QueueFetcher fetcher = fetched.fetcher();
		List<FetchedJob> batch = fetched.startAll();
		if (batch.isEmpty()) {
			return;
		}
		// The registry version, read by the fetch in the same step, or else checked while the batch is
		// parsed (sent after the fetch replied): either sees every subscribe made before the fetched
		// events were published.
		String version = fetcher.readWithLastFetch();
		Supplier<SubscriptionIndex> index = (version != null) ? () -> this.registry.indexAt(version)
				: this.registry.indexSoon();
		List<Object> parsed = new ArrayList<>(batch.size());
		for (FetchedJob job : batch) {
			try {
				parsed.add(this.settings.codec().parseJob(job.raw()));
			}
			catch (RuntimeException ex) {
				parsed.add(ex);
			}
		}
		SubscriptionIndex subscriptions = index.get();
		long now = this.settings.epochSecond();
		List<FetchedJob> driven = new ArrayList<>(batch.size());
		List<Push> pushes = new ArrayList<>();
		List<@Nullable String> eventTypes = new ArrayList<>();
		List<List<Push>> perJob = new ArrayList<>(batch.size());
		for (int j = 0; j < batch.size(); j++) {
			FetchedJob job = batch.get(j);
			try {
				if (!(parsed.get(j) instanceof BusJob busJob)) {
					throw (RuntimeException) parsed.get(j);
				}
				if (Driver.isHeartbeat(busJob)) {
					// Published before the batch commits: a crash in between re-runs the heartbeat,
					// which the stored timestamp makes harmless.
					int published = this.heartbeat.beat();
					this.logger.debug("Heartbeat published {} {} event(s)", published, Heartbeat.EVENT_TYPE);
					perJob.add(List.of());
				}
				else {
					List<Push> jobPushes = this.driver.drive(busJob, subscriptions, now);
					pushes.addAll(jobPushes);
					perJob.add(jobPushes);
					for (int i = 0; i < jobPushes.size(); i++) {
						eventTypes.add(busJob.eventType());
					}
				}
				driven.add(job);
			}
			catch (RuntimeException ex) {
				fail(connection, fetcher, job, ex);
			}
		}
		if (!driven.isEmpty()) {
			if (this.clusterFanOut != null) {
				this.clusterFanOut.commit(connection, fetcher.queues().get(0), fetcher.consumerId(),
						driven.stream().map(FetchedJob::bytes).toList(), perJob);
			}
			else {
				commit(fetcher, driven, pushes);
			}
			// Counted when handed over: a fan-out the next fetch fails to push is driven, and counted, again.
			BusListener listener = listener();
			for (int i = 0; i < pushes.size(); i++) {
				listener.driven(eventTypes.get(i), pushes.get(i).queue());
			}
		}
	}

	/**
	 * Leaves the batch's fan-out, with the removal of the driven jobs from the in-flight list, to the
	 * consumer's next fetch, which the runner makes at once: one script for both, one push per queue
	 * with its jobs in the order driven.
	 */
	private static void commit(QueueFetcher fetcher, List<FetchedJob> driven, List<Push> pushes) {
		Map<String, List<byte[]>> byQueue = new LinkedHashMap<>();
		for (Push push : pushes) {
			byQueue.computeIfAbsent(push.queue(), (queue) -> new ArrayList<>()).add(BusRedis.bytes(push.job()));
		}
		fetcher.fanOutWithNextFetch(driven, byQueue);
	}

}
