package io.resquebus.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import net.greghaines.jesque.Config;
import net.greghaines.jesque.ConfigBuilder;
import net.greghaines.jesque.Job;
import net.greghaines.jesque.client.Client;
import net.greghaines.jesque.client.ClientPoolImpl;
import net.greghaines.jesque.utils.PoolUtils;
import net.greghaines.jesque.worker.MapBasedJobFactory;
import net.greghaines.jesque.worker.WorkerImpl;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

/**
 * Jesque 2.2.0, the Java Resque peer, with its defaults, arranged as the same two hops: events go
 * to an incoming queue; each app runs a worker on it whose job enqueues one delivery job per
 * subscribed app, and a worker on its own queue whose job reports the delivery. Jesque has no
 * registry, asynchronous publish or batch fetch.
 */
final class JesqueContender implements Contender {

	private static final String INCOMING = "incoming";

	/** Static: Jesque creates job instances by reflection. */
	private static volatile @Nullable Client jobClient;

	private static final List<String> appQueues = new CopyOnWriteArrayList<>();

	private final Config config;

	private final Pool<Jedis> pool;

	private final Client client;

	private final List<WorkerImpl> workers = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	JesqueContender(String host, int port) {
		this.config = new ConfigBuilder().withHost(host).withPort(port).withNamespace("jesque").build();
		GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
		poolConfig.setMaxTotal(32);
		poolConfig.setMaxIdle(32);
		this.pool = PoolUtils.createJedisPool(this.config, poolConfig);
		this.client = new ClientPoolImpl(this.config, this.pool);
		appQueues.clear();
		jobClient = this.client;
	}

	@Override
	public String name() {
		return "Jesque 2.2.0";
	}

	@Override
	public void scaleTo(int apps) {
		while (appQueues.size() < apps) {
			String queue = "app_" + appQueues.size();
			start(INCOMING);
			start(queue);
			appQueues.add(queue);
		}
	}

	@Override
	public void publish(BenchEvent event) {
		this.client.enqueue(INCOMING, drive(event));
	}

	@Override
	public void publishAll(List<BenchEvent> events) {
		List<Job> jobs = new ArrayList<>(events.size());
		for (BenchEvent event : events) {
			jobs.add(drive(event));
		}
		this.client.batchEnqueue(INCOMING, jobs);
	}

	@Override
	public @Nullable CompletableFuture<?> publishAsync(BenchEvent event) {
		return null;
	}

	/** About 2,000 deliveries a second here: more would make the default run long, not its figures steadier. */
	@Override
	public int endToEndDeliveries(int requested) {
		return Math.min(requested, 5_000);
	}

	@Override
	public boolean routesByRegistry() {
		return false;
	}

	@Override
	public void noise(int subscriptions) {
		throw new UnsupportedOperationException("Jesque has no subscription registry");
	}

	@Override
	public void close() {
		this.workers.forEach((worker) -> worker.end(true));
		for (Thread thread : this.threads) {
			try {
				thread.join(3000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.client.end();
		this.pool.close();
	}

	private void start(String queue) {
		WorkerImpl worker = new WorkerImpl(this.config, List.of(queue),
				new MapBasedJobFactory(Map.of("Drive", Drive.class, "Deliver", Deliver.class)));
		Thread thread = new Thread(worker, "jesque-" + queue);
		thread.setDaemon(true);
		thread.start();
		this.workers.add(worker);
		this.threads.add(thread);
	}

	private static Job drive(BenchEvent event) {
		return new Job("Drive", BenchEvent.TYPE, Long.toString(event.stampNanos()), Long.toString(event.seq()), "42",
				"John");
	}

	/** The first hop: one delivery job per subscribed app. */
	public static final class Drive implements Runnable {

		private final String[] args;

		public Drive(String type, String stamp, String seq, String userId, String name) {
			this.args = new String[] { type, stamp, seq, userId, name };
		}

		@Override
		public void run() {
			Client client = Objects.requireNonNull(jobClient, "no Jesque contender started");
			for (String queue : appQueues) {
				client.enqueue(queue, new Job("Deliver", (Object[]) this.args));
			}
		}

	}

	/** The second hop: the subscriber. */
	public static final class Deliver implements Runnable {

		private final long stamp;

		public Deliver(String type, String stamp, String seq, String userId, String name) {
			this.stamp = Long.parseLong(stamp);
		}

		@Override
		public void run() {
			Probe.delivered(this.stamp);
		}

	}

}
