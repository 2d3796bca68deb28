package io.resquebus.fault;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ReadFrom;
import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.embedded.EmbeddedSentinelGroup;
import io.resquebus.publish.BusPublishException;
import io.resquebus.publish.BusPublishTimeoutException;
import io.resquebus.publish.BusTemplate;
import io.resquebus.publish.QueuedTransport;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.RedisErrors;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Publishers, a driver and a worker on a Sentinel connection (Lettuce Master/Replica, reads and
 * writes on the master) while Sentinel fails the master over: asked for ({@code SENTINEL FAILOVER})
 * and forced by a hung master ({@code kill -STOP}, thawed after the switch so that it comes back
 * as a replica). With the README's setup (two replicas, {@code min-replicas-to-write 1},
 * {@code min-replicas-max-lag 1}, and its runbook for a planned failover) no acknowledged publish
 * is lost; repeats are counted, not forbidden. A publish that times out is published again with
 * the same {@code bus_id}, as the README tells applications to. To measure other setups:
 * {@code -Dresquebus.fault.sentinel.min-replicas=N} ({@code 0}: none; nothing asserted then) and
 * {@code -Dresquebus.fault.sentinel.no-runbook=true}.
 */
class SentinelFailoverFaultTests {

	private static final String MIN_REPLICAS_PROPERTY = "resquebus.fault.sentinel.min-replicas";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration PUBLISH_TIMEOUT = Duration.ofMillis(800);

	/** The bound on each wait for the group or the bus to get somewhere; generous, for a loaded machine. */
	private static final Duration WAIT = Duration.ofSeconds(60);

	/**
	 * Asked for, Sentinel promotes a replica while the old master still runs: it would take writes
	 * as long as one replica is still attached, writes a resync then wipes out. The README's
	 * runbook closes that window: just before {@code SENTINEL FAILOVER} the master is told to need
	 * every replica ({@code CONFIG SET min-replicas-to-write 2}) and to hold writes for 3 s
	 * ({@code CLIENT PAUSE 3000 WRITE}) while both replicas catch up and one is promoted; the
	 * setting goes back once it rejoins as a replica.
	 */
	@Test
	void losesNoAcknowledgedPublishWhenSentinelFailsTheMasterOver() throws Exception {
		int minReplicas = Integer.getInteger(MIN_REPLICAS_PROPERTY, 1);
		boolean runbook = minReplicas > 0 && !Boolean.getBoolean("resquebus.fault.sentinel.no-runbook");
		run(runbook ? "failover" : "failover-without-runbook", minReplicas, (group, master, publishers) -> {
			if (runbook) {
				assertThat(group.call(master, "CONFIG", "SET", "min-replicas-to-write", "2")).isEqualTo("OK");
				assertThat(group.call(master, "CLIENT", "PAUSE", "3000", "WRITE")).isEqualTo("OK");
			}
			group.failover();
		}, (group, master, publishers) -> {
			if (runbook) {
				group.awaitReplica(master, WAIT);
				group.call(master, "CONFIG", "SET", "min-replicas-to-write", Integer.toString(minReplicas));
			}
		});
	}

	/**
	 * A hung master is cut off from both replicas, so one replica suffices; it is thawed once the
	 * publishers work on the new master: one thawed while a publish still waits on it may
	 * acknowledge it before it notices its replicas left (a race in Redis, see the README).
	 */
	@Test
	void losesNoAcknowledgedPublishWhenAHungMasterIsReplacedAndComesBackAsAReplica() throws Exception {
		run("hung-master", Integer.getInteger(MIN_REPLICAS_PROPERTY, 1),
				(group, master, publishers) -> group.pause(master), (group, master, publishers) -> {
					int acked = acked(publishers).size();
					await().atMost(WAIT).until(() -> acked(publishers).size() >= acked + 50);
					sleep(PUBLISH_TIMEOUT.multipliedBy(2));
					group.resume(master);
				});
	}

	private void run(String variant, int minReplicas, Fault fault, Fault afterSwitch) throws Exception {
		assumeTrue(EmbeddedSentinelGroup.isAvailable(), "no redis-server binary");
		EmbeddedSentinelGroup.Builder builder = EmbeddedSentinelGroup.builder()
			.downAfter(Duration.ofMillis(1000))
			.failoverTimeout(Duration.ofSeconds(5));
		if (minReplicas > 0) {
			builder.dataNodeConfig("min-replicas-to-write " + minReplicas, "min-replicas-max-lag 1");
		}
		EmbeddedSentinelGroup group = builder.build();
		group.start();
		RedisSentinelConfiguration sentinel = new RedisSentinelConfiguration();
		sentinel.master(group.masterName());
		group.sentinelPorts().forEach((port) -> sentinel.sentinel(group.host(), port));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(sentinel, LettuceClientConfiguration.builder()
			.readFrom(ReadFrom.UPSTREAM)
			.commandTimeout(COMMAND_TIMEOUT)
			.build());
		factory.afterPropertiesSet();
		factory.start();
		BusRedis redis = new BusRedis(factory);
		String namespace = "test-" + UUID.randomUUID().toString().substring(0, 8);
		BusSettings settings = BusSettings.defaults().withKeys(new BusKeys(namespace)).withHostname("test-host");
		Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
		AppSubscriptions subscriptions = FaultJobs
			.subscriptions((event) -> handled.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet());
		SubscriptionRegistry subscriptionRegistry = new SubscriptionRegistry(redis, settings.keys(), settings.codec(),
				Duration.ZERO, Clock.systemUTC());
		// The setup's first write: only once the master has its replicas in sync (min-replicas-to-write),
		// and again should a lagging replica ACK on a loaded machine still get it refused (NOREPLICAS)
		group.awaitReplicasInSync(WAIT);
		await().atMost(WAIT).ignoreExceptionsMatching(RedisErrors::isTransient).until(() -> {
			subscriptionRegistry.subscribe(FaultJobs.APP, subscriptions.entries());
			return true;
		});
		ConsumerRegistry consumers = new ConsumerRegistry(redis, settings, Duration.ofSeconds(3));
		OrphanRecovery recovery = new OrphanRecovery(redis, settings, consumers);
		Maintenance maintenance = new Maintenance(consumers, recovery);
		DriverRunner driver = new DriverRunner(redis, settings, subscriptionRegistry, 10, Duration.ofMillis(100));
		driver.setConsumerRegistry(consumers);
		WorkerRunner worker = new WorkerRunner(redis, settings, subscriptions, List.of(), 10, Duration.ofMillis(100));
		worker.setConsumerRegistry(consumers);
		BusTemplate template = new BusTemplate(settings, new QueuedTransport(redis, settings, PUBLISH_TIMEOUT));
		List<Publisher> publishers = List.of(new Publisher(template, 0), new Publisher(template, 1));
		maintenance.start();
		driver.start();
		worker.start();
		publishers.forEach(Thread::start);
		try {
			await().atMost(WAIT).until(() -> handled.size() >= 300);
			int oldMaster = group.masterPort();
			long faultAt = System.nanoTime();
			fault.apply(group, oldMaster, publishers);
			int newMaster = group.awaitNewMaster(oldMaster, WAIT);
			long switchedAt = System.nanoTime();
			afterSwitch.apply(group, oldMaster, publishers);
			group.awaitReplica(oldMaster, WAIT);
			group.awaitReplicasInSync(WAIT);
			int ackedAtSwitch = acked(publishers).size();
			await().atMost(WAIT).until(() -> acked(publishers).size() >= ackedAtSwitch + 300);
			for (Publisher publisher : publishers) {
				publisher.finish();
			}
			Set<String> acked = acked(publishers);
			try {
				await().atMost(Duration.ofSeconds(15)).until(() -> handled.keySet().containsAll(acked));
			}
			catch (ConditionTimeoutException ex) {
				// counted below
			}
			worker.stop();
			driver.stop();
			maintenance.finish();
			Set<String> left = leftInRedis(factory, namespace);
			Set<String> lost = new HashSet<>(acked);
			lost.removeAll(handled.keySet());
			lost.removeAll(left);
			long duplicates = handled.values().stream().mapToInt((count) -> count.get() - 1).sum();
			Gap gap = longestGap(publishers);
			System.out.printf("FAULT sentinel %s: replicas=2 min-replicas-to-write=%d acknowledged=%d handled=%d "
					+ "lost=%d duplicates=%d leftInRedis=%d orphansRecovered=%d publishRetries=%d "
					+ "longestPublishGapMs=%d resumeAfterFaultMs=%d switchAfterFaultMs=%d%n", variant, minReplicas,
					acked.size(), handled.size(), lost.size(), duplicates, left.size(), maintenance.recovered.get(),
					publishers.stream().mapToInt((p) -> p.retries.get()).sum(), gap.millis(),
					Duration.ofNanos(gap.endedAt() - faultAt).toMillis(),
					Duration.ofNanos(switchedAt - faultAt).toMillis());
			if (!lost.isEmpty()) {
				System.out.println("FAULT sentinel " + variant + ": lost publishes acknowledged at (ms after the fault) "
						+ lost.stream().map((busId) -> ackedAt(publishers, busId) - faultAt)
							.map((nanos) -> Duration.ofNanos(nanos).toMillis()).sorted().toList());
			}
			assertThat(newMaster).isNotEqualTo(oldMaster);
			if (minReplicas > 0) {
				assertThat(lost).as("acknowledged publishes neither handled nor left in Redis").isEmpty();
			}
			assertThat(publishers).allSatisfy((publisher) -> assertThat(publisher.gaveUp.get()).isZero());
		}
		finally {
			for (Publisher publisher : publishers) {
				publisher.finish();
			}
			worker.stop();
			driver.stop();
			maintenance.finish();
			factory.destroy();
			group.close();
		}
	}

	private static Set<String> acked(List<Publisher> publishers) {
		Set<String> acked = new HashSet<>();
		publishers.forEach((publisher) -> acked.addAll(publisher.acked.keySet()));
		return acked;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static long ackedAt(List<Publisher> publishers, String busId) {
		return publishers.stream().map((publisher) -> publisher.acked.get(busId)).filter((at) -> at != null)
			.findFirst().orElse(0L);
	}

	/** The bus_ids of the jobs still in queues and in-flight lists, read from the master now. */
	private static Set<String> leftInRedis(LettuceConnectionFactory factory, String namespace) {
		StringRedisTemplate redis = new StringRedisTemplate(factory);
		List<String> keys = new ArrayList<>(redis.keys(namespace + ":queue:*"));
		keys.addAll(redis.keys("{" + namespace + ":queue:*}:inflight:*"));
		Set<String> left = new HashSet<>();
		for (String key : keys) {
			for (String job : redis.opsForList().range(key, 0, -1)) {
				left.add(FaultJobs.busId(job));
			}
		}
		return left;
	}

	/** The longest time between two acknowledgements, any publisher, and when it ended. */
	private static Gap longestGap(List<Publisher> publishers) {
		List<Long> times = new ArrayList<>();
		publishers.forEach((publisher) -> times.addAll(publisher.acked.values()));
		Collections.sort(times);
		Gap longest = new Gap(0, times.isEmpty() ? 0 : times.get(0));
		for (int i = 1; i < times.size(); i++) {
			long gap = times.get(i) - times.get(i - 1);
			if (gap > longest.nanos) {
				longest = new Gap(gap, times.get(i));
			}
		}
		return longest;
	}

	private record Gap(long nanos, long endedAt) {

		long millis() {
			return Duration.ofNanos(this.nanos).toMillis();
		}

	}

	@FunctionalInterface
	private interface Fault {

		void apply(EmbeddedSentinelGroup group, int masterPort, List<Publisher> publishers);

	}

	/** Renews leases and recovers orphans every 500 ms, counting what it recovered. */
	private static final class Maintenance extends Thread {

		final AtomicLong recovered = new AtomicLong();

		private final ConsumerRegistry consumers;

		private final OrphanRecovery recovery;

		private volatile boolean finished;

		Maintenance(ConsumerRegistry consumers, OrphanRecovery recovery) {
			super("fault-maintenance");
			setDaemon(true);
			this.consumers = consumers;
			this.recovery = recovery;
		}

		@Override
		public void run() {
			while (!this.finished) {
				try {
					this.consumers.renewAll();
					this.recovered.addAndGet(this.recovery.recover());
				}
				catch (RuntimeException ex) {
					// Redis failing over: next round
				}
				try {
					Thread.sleep(500);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void finish() throws InterruptedException {
			this.finished = true;
			join(10_000);
		}

	}

	/**
	 * Publishes one event after another; one that times out is published again under its
	 * {@code bus_id} until Redis takes it. Notes when each was acknowledged.
	 */
	private static final class Publisher extends Thread {

		final Map<String, Long> acked = new ConcurrentHashMap<>();

		final AtomicInteger retries = new AtomicInteger();

		final AtomicInteger gaveUp = new AtomicInteger();

		private final BusTemplate template;

		private final int id;

		private volatile boolean finished;

		Publisher(BusTemplate template, int id) {
			super("fault-publisher-" + id);
			setDaemon(true);
			this.template = template;
			this.id = id;
		}

		@Override
		public void run() {
			for (int n = 0; !this.finished; n++) {
				Map<String, Object> attributes = Map.of("publisher", this.id, "n", n);
				String busId = null;
				for (int attempt = 0; attempt < 20; attempt++) {
					try {
						busId = (busId == null) ? this.template.publish(FaultJobs.EVENT_TYPE, attributes)
								: this.template.publish(FaultJobs.EVENT_TYPE, attributes, busId);
						this.acked.put(busId, System.nanoTime());
						break;
					}
					catch (BusPublishTimeoutException ex) {
						busId = ex.busId();
						this.retries.incrementAndGet();
					}
					catch (BusPublishException ex) {
						this.retries.incrementAndGet();
					}
				}
				if (busId == null || !this.acked.containsKey(busId)) {
					this.gaveUp.incrementAndGet();
				}
				try {
					Thread.sleep(2);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void finish() throws InterruptedException {
			this.finished = true;
			join(30_000);
		}

	}

}
