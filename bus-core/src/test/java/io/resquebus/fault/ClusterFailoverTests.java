package io.resquebus.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.resquebus.BusSettings;
import io.resquebus.driver.DriverRunner;
import io.resquebus.embedded.EmbeddedRedisCluster;
import io.resquebus.publish.BusTemplate;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.HashSlots;
import io.resquebus.runner.BusMaintenance;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.runner.OrphanRecovery;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusKeys;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster loses masters while the bus runs: publishers, a driver and a worker on a cluster
 * of 3 masters and 3 replicas (its own: this test kills nodes). The master holding
 * {@code bus_incoming} is failed over by its replica ({@code CLUSTER FAILOVER}), then the new
 * master is killed with SIGKILL and its replica promoted. Every acknowledged publish must be
 * handled; duplicates are reported.
 */
@EnabledIf("io.resquebus.embedded.EmbeddedRedisCluster#available")
class ClusterFailoverTests {

	private static final int PUBLISHERS = 2;

	@Test
	void losesNoAcknowledgedEventWhenMastersFailOver() throws Exception {
		try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start()) {
			LettuceConnectionFactory factory = factory(cluster);
			try {
				run(cluster, factory);
			}
			finally {
				factory.destroy();
			}
		}
	}

	private void run(EmbeddedRedisCluster cluster, LettuceConnectionFactory factory) throws Exception {
		BusRedis redis = new BusRedis(factory);
		BusSettings settings = BusSettings.defaults().withKeys(new BusKeys("fault")).withHostname("fault-host");
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
		AppSubscriptions subscriptions = new AppSubscriptions("fault_app");
		subscriptions.add(new LocalSubscription("on_tick", LocalSubscription.DEFAULT_QUEUE,
				LocalSubscription.eventType("tick"),
				(event) -> handled.computeIfAbsent(event.id(), (id) -> new AtomicInteger()).incrementAndGet(), "test"));
		SubscriptionRegistry registry = new SubscriptionRegistry(redis, settings.keys(), settings.codec(),
				Duration.ofSeconds(1), settings.clock());
		registry.subscribe(subscriptions.appKey(), subscriptions.entries());
		ConsumerRegistry consumers = new ConsumerRegistry(redis, settings, Duration.ofSeconds(3));
		OrphanRecovery recovery = new OrphanRecovery(redis, settings, consumers);
		BusMaintenance maintenance = new BusMaintenance(consumers, recovery, Duration.ofMillis(500));
		DriverRunner driver = new DriverRunner(redis, settings, registry, 10, Duration.ofMillis(200));
		driver.setConsumerRegistry(consumers);
		WorkerRunner worker = new WorkerRunner(redis, settings, subscriptions, List.of(), 10, Duration.ofMillis(200));
		worker.setConsumerRegistry(consumers);
		maintenance.start();
		driver.start();
		worker.start();
		AtomicBoolean publishing = new AtomicBoolean(true);
		AtomicLong publishErrors = new AtomicLong();
		AtomicLong longestGapMillis = new AtomicLong();
		List<Thread> publishers = new ArrayList<>();
		BusTemplate bus = new BusTemplate(redis, settings);
		for (int p = 0; p < PUBLISHERS; p++) {
			int publisher = p;
			Thread thread = new Thread(() -> {
				long lastAck = System.nanoTime();
				for (int n = 0; publishing.get(); n++) {
					try {
						acknowledged.add(bus.publish("tick", Map.of("p", publisher, "n", n)));
						long now = System.nanoTime();
						longestGapMillis.accumulateAndGet((now - lastAck) / 1_000_000, Math::max);
						lastAck = now;
					}
					catch (RuntimeException ex) {
						publishErrors.incrementAndGet();
						sleep(20);
					}
				}
			}, "publisher-" + p);
			thread.start();
			publishers.add(thread);
		}
		long failoverSeconds;
		long killSeconds;
		try {
			sleep(3000);
			int slot = HashSlots.slot(settings.keys().queue(BusKeys.INCOMING_QUEUE));
			int master = masterOf(cluster, slot);
			int replica = replicaOf(cluster, master);
			long start = System.nanoTime();
			assertThat(cluster.command(replica, "CLUSTER", "FAILOVER")).isEqualTo("OK");
			await().atMost(Duration.ofSeconds(30)).until(() -> masterOf(cluster, slot) == replica);
			failoverSeconds = (System.nanoTime() - start) / 1_000_000_000;
			sleep(3000);
			start = System.nanoTime();
			cluster.kill(replica); // the master now; the old master is its replica and takes over
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				Integer now = masterOfOrNull(cluster, slot, master);
				return now != null && now == master;
			});
			killSeconds = (System.nanoTime() - start) / 1_000_000_000;
			sleep(3000);
		}
		finally {
			publishing.set(false);
			for (Thread publisher : publishers) {
				publisher.join(30_000);
			}
		}
		try {
			await().atMost(Duration.ofSeconds(40))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> handled.keySet().containsAll(acknowledged));
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			// reported below
		}
		finally {
			worker.stop();
			driver.stop();
			maintenance.stop();
		}
		Set<String> lost = new java.util.HashSet<>(acknowledged);
		lost.removeAll(handled.keySet());
		long duplicates = handled.values().stream().mapToInt(AtomicInteger::get).filter((n) -> n > 1).map((n) -> n - 1)
			.sum();
		long unacknowledgedHandled = handled.keySet().stream().filter((id) -> !acknowledged.contains(id)).count();
		System.out.printf("FAULT cluster failover+kill: masters=3 replicas=3 acknowledged=%d handled=%d lost=%d "
				+ "duplicates=%d handledUnacknowledged=%d publishErrors=%d longestPublishGapMs=%d "
				+ "failoverSeconds=%d killPromotionSeconds=%d%n", acknowledged.size(), handled.size(), lost.size(),
				duplicates, unacknowledgedHandled, publishErrors.get(), longestGapMillis.get(), failoverSeconds,
				killSeconds);
		assertThat(acknowledged).hasSizeGreaterThan(100);
		assertThat(lost).as("acknowledged events never handled").isEmpty();
	}

	/** The port of the master that serves the slot, by CLUSTER NODES as a live master sees it. */
	private static int masterOf(EmbeddedRedisCluster cluster, int slot) {
		Integer port = masterOfOrNull(cluster, slot, -1);
		return (port != null) ? port : -1;
	}

	private static Integer masterOfOrNull(EmbeddedRedisCluster cluster, int slot, int askPort) {
		List<Integer> ports = (askPort > 0) ? List.of(askPort) : cluster.ports();
		for (int port : ports) {
			String nodes = cluster.command(port, "CLUSTER", "NODES");
			if (nodes == null || nodes.startsWith("-")) {
				continue;
			}
			for (String line : nodes.split("\n")) {
				String[] fields = line.trim().split(" ");
				if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
					continue;
				}
				for (int i = 8; i < fields.length; i++) {
					String[] range = fields[i].split("-");
					if (range[0].startsWith("[")) {
						continue;
					}
					int from = Integer.parseInt(range[0]);
					int to = (range.length > 1) ? Integer.parseInt(range[1]) : from;
					if (slot >= from && slot <= to) {
						return portOf(fields[1]);
					}
				}
			}
			return null;
		}
		return null;
	}

	private static int replicaOf(EmbeddedRedisCluster cluster, int masterPort) {
		String nodes = cluster.command(masterPort, "CLUSTER", "NODES");
		String masterId = null;
		for (String line : nodes.split("\n")) {
			String[] fields = line.trim().split(" ");
			if (portOf(fields[1]) == masterPort) {
				masterId = fields[0];
			}
		}
		for (String line : nodes.split("\n")) {
			String[] fields = line.trim().split(" ");
			if (fields[2].contains("slave") && fields[3].equals(masterId)) {
				return portOf(fields[1]);
			}
		}
		throw new IllegalStateException("No replica of " + masterPort + " in " + nodes);
	}

	private static int portOf(String address) {
		String hostPort = address.split("@")[0];
		return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
	}

	private static LettuceConnectionFactory factory(EmbeddedRedisCluster cluster) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisClusterConfiguration(cluster.nodes()),
				LettuceClientConfiguration.builder()
					.commandTimeout(Duration.ofSeconds(2))
					.clientOptions(ClusterClientOptions.builder()
						.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
							.enableAllAdaptiveRefreshTriggers()
							.adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
							.enablePeriodicRefresh(Duration.ofSeconds(1))
							.build())
						.build())
					.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
