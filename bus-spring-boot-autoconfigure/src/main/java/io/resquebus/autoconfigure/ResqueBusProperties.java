package io.resquebus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the bus. Every default interoperates with Ruby resque-bus.
 */
@ConfigurationProperties("resquebus")
public class ResqueBusProperties {

	/**
	 * Key of this application on the bus: its subscriptions are registered under it and its
	 * queues are named after it (app_key_default, app_key_critical). Required when the
	 * application has subscribers; normalized as Ruby does (lowercase, non-word characters
	 * become '_').
	 */
	private @Nullable String appKey;

	/**
	 * Resque namespace prefixed to every Redis key. Must equal the one of the Ruby apps sharing
	 * the Redis; empty for none.
	 */
	private String namespace = "resque";

	/**
	 * Host name written into events (bus_app_hostname) and worker ids. Defaults to this
	 * machine's host name; set a distinct one where Ruby workers run on the same host.
	 */
	private @Nullable String hostname;

	/**
	 * How long the driver may reuse the subscriptions it read from Redis. Zero reads them for
	 * every batch of events, so a newly subscribed app gets the very next event.
	 */
	private Duration registryCacheTtl = Duration.ZERO;

	private final Driver driver = new Driver();

	private final Worker worker = new Worker();

	private final Scheduler scheduler = new Scheduler();

	public @Nullable String getAppKey() {
		return this.appKey;
	}

	public void setAppKey(@Nullable String appKey) {
		this.appKey = appKey;
	}

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public @Nullable String getHostname() {
		return this.hostname;
	}

	public void setHostname(@Nullable String hostname) {
		this.hostname = hostname;
	}

	public Duration getRegistryCacheTtl() {
		return this.registryCacheTtl;
	}

	public void setRegistryCacheTtl(Duration registryCacheTtl) {
		this.registryCacheTtl = registryCacheTtl;
	}

	public Driver getDriver() {
		return this.driver;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	/**
	 * The driver: fans incoming events out to the queues of every subscribed app.
	 */
	public static class Driver {

		/**
		 * Whether this application runs a driver. One driver per Redis is enough; more share
		 * the work safely.
		 */
		private boolean enabled = true;

		/**
		 * Maximum number of incoming events one round trip takes and fans out.
		 */
		private int batchSize = 50;

		/**
		 * How long an idle driver blocks on Redis waiting for an event before looking again.
		 */
		private Duration blockTimeout = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getBlockTimeout() {
			return this.blockTimeout;
		}

		public void setBlockTimeout(Duration blockTimeout) {
			this.blockTimeout = blockTimeout;
		}

	}

	/**
	 * The worker: runs this application's handlers for the jobs on its queues.
	 */
	public static class Worker {

		/**
		 * Whether this application runs a worker for its own queues.
		 */
		private boolean enabled = true;

		/**
		 * Comma-separated list of queues to work, highest priority first. Defaults to the
		 * app's own queues: critical, default, then custom queues by name.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * Number of consumer threads, each with its own Redis connection.
		 */
		private int concurrency = 1;

		/**
		 * Maximum number of jobs one fetch moves into the worker's in-flight list. Priority is
		 * checked at every fetch, so 1 gives the strictest queue priority.
		 */
		private int batchSize = 10;

		/**
		 * How long an idle worker blocks on its highest-priority queue before looking at all its
		 * queues again; bounds the wait of a job on a lower queue of an idle worker.
		 */
		private Duration blockTimeout = Duration.ofSeconds(1);

		/**
		 * How long stopping waits for running handlers to finish.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getBlockTimeout() {
			return this.blockTimeout;
		}

		public void setBlockTimeout(Duration blockTimeout) {
			this.blockTimeout = blockTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

	}

	/**
	 * The scheduler: moves due delayed events onto their queues.
	 */
	public static class Scheduler {

		/**
		 * Whether this application runs a scheduler. Several schedulers (Java or Ruby
		 * resque-scheduler) may run at once on one Redis; each delayed event is still delivered
		 * once.
		 */
		private boolean enabled = true;

		/**
		 * How long the scheduler waits between looks for due delayed events, so a delayed event
		 * arrives at most about this long after its due second. Each look is one cheap Redis
		 * query.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * Maximum number of delayed events of one due second moved in one atomic step, 1 to 100.
		 */
		private int batchSize = 100;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

	}

}
