package io.resquebus.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.retry.BusRetryPolicies;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.util.unit.DataSize;

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
	 * How long the driver may reuse the subscriptions it read from Redis while their version is
	 * unchanged. A change made through Java (which bumps the version) is seen at the next batch; one
	 * written by a Ruby app (queue-bus bumps no version) after at most this long. Zero reads them for
	 * every batch of events.
	 */
	private Duration registryCacheTtl = Duration.ofSeconds(1);

	/**
	 * How published events reach their subscribers: 'queued' through the incoming queue and a
	 * driver, as Ruby resque-bus does; 'standalone' fanned out by the publisher itself, without a
	 * driver; 'inline' without Redis at all, this app's handlers running in the publishing thread
	 * (development and tests).
	 */
	private LocalMode localMode = LocalMode.QUEUED;

	/**
	 * How long the health check, the resquebus endpoint and FailedJobs wait for Redis on a read
	 * before failing (health DOWN with the reason), whatever the Redis client's command timeout
	 * (with Lettuce).
	 */
	private Duration readTimeout = Duration.ofSeconds(2);

	/**
	 * Longest wait between two reconnection attempts of the application's Lettuce client, so
	 * that the bus is back within about this time once Redis returns (Lettuce's own back-off
	 * grows to 30 s during a long outage). 0 leaves Lettuce's back-off alone.
	 */
	private Duration maxReconnectDelay = Duration.ofSeconds(1);

	/**
	 * Whether idle driver and worker consumers (which look at their queues at short intervals
	 * when jobs are size-checked) are woken as soon as a queue of theirs is written to, through
	 * Redis client-side caching (one extra connection per bus, RESP3). Inactive in cluster mode.
	 */
	private boolean wakeUp = true;

	/**
	 * The bus's own Redis, apart from the application's: the same properties as
	 * spring.data.redis (url, or host, port, database, username, password; ssl.enabled,
	 * timeout, connect-timeout, client-name; sentinel.*; cluster.*). When url, host, port,
	 * sentinel.master or cluster.nodes is set, every part of the bus uses a connection factory
	 * of its own built from these and leaves the application's RedisConnectionFactory alone;
	 * otherwise the bus uses the application's.
	 */
	@NestedConfigurationProperty
	private final DataRedisProperties redis = new DataRedisProperties();

	private final Publish publish = new Publish();

	private final Driver driver = new Driver();

	private final Worker worker = new Worker();

	private final Scheduler scheduler = new Scheduler();

	private final Heartbeat heartbeat = new Heartbeat();

	private final Recovery recovery = new Recovery();

	private final Failures failures = new Failures();

	private final Retry retry = new Retry();

	private final Matching matching = new Matching();

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

	public boolean isWakeUp() {
		return this.wakeUp;
	}

	public void setWakeUp(boolean wakeUp) {
		this.wakeUp = wakeUp;
	}

	public Duration getMaxReconnectDelay() {
		return this.maxReconnectDelay;
	}

	public void setMaxReconnectDelay(Duration maxReconnectDelay) {
		this.maxReconnectDelay = maxReconnectDelay;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Duration getRegistryCacheTtl() {
		return this.registryCacheTtl;
	}

	public void setRegistryCacheTtl(Duration registryCacheTtl) {
		this.registryCacheTtl = registryCacheTtl;
	}

	public LocalMode getLocalMode() {
		return this.localMode;
	}

	public void setLocalMode(LocalMode localMode) {
		this.localMode = localMode;
	}

	public DataRedisProperties getRedis() {
		return this.redis;
	}

	public Publish getPublish() {
		return this.publish;
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

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public Recovery getRecovery() {
		return this.recovery;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Matching getMatching() {
		return this.matching;
	}

	public Failures getFailures() {
		return this.failures;
	}

	/**
	 * Publishing events.
	 */
	public static class Publish {

		/**
		 * How long a publish waits for Redis before failing with a BusPublishTimeoutException
		 * that names the Redis address, whatever the Redis client's command timeout (with
		 * Lettuce; other clients keep their own). Bounds how long a request thread can be held up
		 * by a Redis outage. A publish that timed out was cancelled but may still have reached
		 * Redis, so a retry can publish twice.
		 */
		private Duration timeout = Duration.ofSeconds(2);

		/**
		 * Whether a publish inside an active Spring transaction waits for it: the event is
		 * sent after the transaction commits and never if it rolls back. Synchronous
		 * subscribers still run at once, in the caller's transaction. Outside a transaction,
		 * and in the 'inline' local mode, events are sent at once either way.
		 */
		private boolean transactional = true;

		public boolean isTransactional() {
			return this.transactional;
		}

		public void setTransactional(boolean transactional) {
			this.transactional = transactional;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * What the driver and the worker share: both consume queues in batches, as Spring Boot's
	 * {@code RabbitProperties.BaseContainer} does for its listener containers.
	 */
	public abstract static class QueueConsumer {

		/**
		 * Whether the runner starts with the application. When false it is created but left
		 * stopped, for the application to start through its Lifecycle bean.
		 */
		private boolean autoStartup = true;

		/**
		 * Maximum number of jobs one fetch moves into the in-flight list.
		 */
		private int batchSize;

		/**
		 * How long an idle consumer blocks on Redis waiting for a job before looking again (when
		 * max-payload-size is 0; with a limit it looks every 50 ms at most, or every block timeout while
		 * the wake-up has Redis push the writes to its queues).
		 */
		private Duration blockTimeout = Duration.ofSeconds(1);

		/**
		 * Largest job the consumer takes; bigger ones never leave Redis: the fetch script moves them
		 * to the failed list with their first 1 KB and their size, and the consumer goes on. A fetch
		 * also stops taking jobs once they reach the limit in bytes together. With a
		 * limit an idle consumer looks at its queues every 50 ms at most instead of blocking on
		 * Redis. 0 means no limit.
		 */
		private DataSize maxPayloadSize = DataSize.ofMegabytes(10);

		protected QueueConsumer(int batchSize) {
			this.batchSize = batchSize;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
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

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

	}

	/**
	 * The driver: fans incoming events out to the queues of every subscribed app.
	 */
	public static class Driver extends QueueConsumer {

		/**
		 * Whether this application runs a driver. One driver per Redis is enough; more share
		 * the work safely. Defaults to true in the 'queued' local mode and to false in
		 * 'standalone', where the publisher fans out itself (enable it there to drive delayed
		 * events and events other apps push onto the incoming queue). Never in 'inline'.
		 */
		private @Nullable Boolean enabled;

		/**
		 * How many incoming queues publishers spread events over and drivers work. 1 (the
		 * default) is Ruby's single 'bus_incoming'. More (up to 64) add Java-only queues
		 * 'bus_incoming_p<k>_<n>' placed on hash slots spread round a Redis Cluster, so that
		 * publishing and driving are not bound to the one shard holding 'bus_incoming'; each
		 * publish goes to the next queue in turn and the driver runs as many consumers as
		 * queues (or a multiple). Ruby drivers read only 'bus_incoming': with more than one,
		 * run Java drivers. Every publisher and driver of a bus must use the same count (the
		 * names depend on it); the dashboard lists other counts' queues holding events as
		 * unread. Read by publishers too, not only where the driver runs.
		 */
		private int partitions = 1;

		public Driver() {
			super(100);
		}

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public int getPartitions() {
			return this.partitions;
		}

		public void setPartitions(int partitions) {
			this.partitions = partitions;
		}

	}

	/**
	 * The worker: runs this application's handlers for the jobs on its queues.
	 */
	public static class Worker extends QueueConsumer {

		/**
		 * Whether this application runs a worker for its own queues.
		 */
		private boolean enabled = true;

		/**
		 * Comma-separated list of queues to work, highest priority first. Defaults to the
		 * app's own queues: critical, default, then custom queues by name. As in Resque, "*"
		 * stands for every queue in Resque's queues set not named before it, alphabetically
		 * (except the driver's bus_incoming), read again at the queue refresh interval; jobs
		 * of other apps found there go to the failed list.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * How often a queue list with "*" is read again from Redis.
		 */
		private Duration queueRefreshInterval = Duration.ofSeconds(5);

		/**
		 * Most jobs this worker starts in any one-second window over all its queues and
		 * consumer threads; 0 for no limit.
		 */
		private int jobsPerSecond;

		/**
		 * Most jobs this worker starts in any one-second window on a queue, by queue name
		 * (e.g. app_default); unnamed queues are limited only by jobs-per-second.
		 */
		private Map<String, Integer> queueRates = new LinkedHashMap<>();

		/**
		 * Number of consumer threads, each with its own Redis connection.
		 */
		private int concurrency = 1;

		/**
		 * How long stopping waits for running handlers to finish; fetched jobs not started go back
		 * to the head of their queue whether or not handlers finish in time.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(10);

		public Worker() {
			super(100);
		}

		public Duration getQueueRefreshInterval() {
			return this.queueRefreshInterval;
		}

		public void setQueueRefreshInterval(Duration queueRefreshInterval) {
			this.queueRefreshInterval = queueRefreshInterval;
		}

		public int getJobsPerSecond() {
			return this.jobsPerSecond;
		}

		public void setJobsPerSecond(int jobsPerSecond) {
			this.jobsPerSecond = jobsPerSecond;
		}

		public Map<String, Integer> getQueueRates() {
			return this.queueRates;
		}

		public void setQueueRates(Map<String, Integer> queueRates) {
			this.queueRates = queueRates;
		}

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
		 * Whether the scheduler starts with the application. When false it is created but left
		 * stopped, for the application to start through its Lifecycle bean.
		 */
		private boolean autoStartup = true;

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

		/**
		 * Whether the scheduler also runs queue-bus's minute heartbeat (publishes
		 * {@code heartbeat_minutes} once a minute). It shares queue-bus's lock and timestamp
		 * keys, so Java schedulers and Ruby's resque-scheduler cron together publish each minute
		 * exactly once.
		 */
		private boolean heartbeat = true;

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}
		public boolean isHeartbeat() {
			return this.heartbeat;
		}

		public void setHeartbeat(boolean heartbeat) {
			this.heartbeat = heartbeat;
		}

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

	/**
	 * queue-bus's minute heartbeat ({@code heartbeat_minutes}), as the scheduler and the driver
	 * run it.
	 */
	public static class Heartbeat {

		/**
		 * Zone of the heartbeat's calendar fields (minute, hour, day, wday...); must equal the
		 * {@code TZ} of Ruby runners on the same Redis. Defaults to the JVM's zone.
		 */
		private @Nullable ZoneId zone;

		/**
		 * Environment name as queue-bus reads it; in {@code development} and {@code test} a
		 * heartbeat that has not run for a while catches up only the last 3 minutes, elsewhere
		 * every missed minute. Defaults to {@code RAILS_ENV}, else {@code RACK_ENV}, else
		 * {@code BUS_ENV}, as in Ruby.
		 */
		private @Nullable String environment;

		public @Nullable ZoneId getZone() {
			return this.zone;
		}

		public void setZone(@Nullable ZoneId zone) {
			this.zone = zone;
		}

		public @Nullable String getEnvironment() {
			return this.environment;
		}

		public void setEnvironment(@Nullable String environment) {
			this.environment = environment;
		}

	}

	/**
	 * Recovery of the jobs of dead consumers: every driver and worker consumer holds a lease in
	 * Redis while it lives; the in-flight jobs of one whose lease expired go back to their queue.
	 */
	public static class Recovery {

		/**
		 * How long a consumer counts as alive after its last lease renewal. Its unfinished jobs
		 * run again elsewhere once this has passed, so keep it well above GC pauses and Redis
		 * hiccups.
		 */
		private Duration leaseTime = Duration.ofSeconds(60);

		/**
		 * How often leases and Resque worker heartbeats are renewed and dead consumers looked
		 * for. At most a third of the lease time.
		 */
		private Duration interval = Duration.ofSeconds(15);

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * Matching events against subscriptions, which any app can write to the registry.
	 */
	public static class Matching {

		/**
		 * Most characters one regex match of a subscription may read (backtracking reads them
		 * again and again, so this bounds its work; the default is some tens of milliseconds of one
		 * core). A match over it counts as no match for that event, logged at most once a minute and
		 * shown by health and the resquebus endpoint, so a hostile regex cannot stall the driver.
		 */
		private long stepBudget = 1_000_000;

		public long getStepBudget() {
			return this.stepBudget;
		}

		public void setStepBudget(long stepBudget) {
			this.stepBudget = stepBudget;
		}
	}

	/**
	 * Resque's failed list.
	 */
	public static class Failures {

		/**
		 * Most entries the failed list keeps; beyond it the oldest are dropped, counted and
		 * logged. 0 for no limit.
		 */
		private long maxEntries = 100_000;

		/**
		 * Most memory the failed list takes in Redis (as MEMORY USAGE counts it); beyond it the
		 * oldest entries are dropped, counted and logged, the newest always staying. 0 for no
		 * limit.
		 */
		private DataSize maxBytes = DataSize.ofMegabytes(64);

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

		public long getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(long maxEntries) {
			this.maxEntries = maxEntries;
		}
	}

	/**
	 * Retries of failed handler runs, as Ruby's resque-retry does them: the retry waits in
	 * resque-scheduler's delayed set (or goes straight back to its queue when its delay is 0),
	 * counted under resque-retry's key; after the last attempt the job goes to the failed list.
	 */
	public static class Retry {

		/**
		 * Whether failed handler runs are retried. When false, every failure goes to the failed
		 * list at once (subscriptions with their own @Retry are still retried).
		 */
		private boolean enabled = true;

		/**
		 * Runs in all, the first included; 1 never retries. The default 7 is resque-retry's: the
		 * first run and one retry per delay.
		 */
		private int maxAttempts = BusRetryPolicies.DEFAULT_MAX_ATTEMPTS;

		/**
		 * Delay before each retry in turn, the last one repeated, unless 'delay' is set. 0
		 * re-queues at once; others wait in the delayed set for a scheduler (Java or Ruby).
		 * Defaults to resque-retry's: 0s, 60s, 10m, 1h, 3h, 6h.
		 */
		private List<Duration> delays = new ArrayList<>(BusRetryPolicies.RESQUE_RETRY_DELAYS);

		/**
		 * First delay of an exponential back-off; when set, replaces 'delays'. Each further retry
		 * waits 'multiplier' times longer, up to 'max-delay'.
		 */
		private @Nullable Duration delay;

		/**
		 * What each exponential delay is multiplied by; 1 for a fixed delay.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest delay of the exponential back-off.
		 */
		private Duration maxDelay = Duration.ofHours(6);

		/**
		 * How far delays randomly move, so jobs that failed together do not come back
		 * together. With 'delays', each non-zero delay moves by up to this much either way;
		 * with 'delay', as Spring's ExponentialBackOff applies it (growing with the delay).
		 */
		private Duration jitter = Duration.ZERO;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public List<Duration> getDelays() {
			return this.delays;
		}

		public void setDelays(List<Duration> delays) {
			this.delays = delays;
		}

		public @Nullable Duration getDelay() {
			return this.delay;
		}

		public void setDelay(@Nullable Duration delay) {
			this.delay = delay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Duration getJitter() {
			return this.jitter;
		}

		public void setJitter(Duration jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * How published events reach their subscribers.
	 */
	public enum LocalMode {

		/**
		 * Through the incoming queue: a driver (this app's, another's, or a Ruby one) fans each
		 * event out to the queues of every subscribed app. Ruby resque-bus's normal mode.
		 */
		QUEUED,

		/**
		 * Through Redis, without a driver: the publisher reads every app's subscriptions and
		 * pushes the fanned-out jobs onto their queues itself, all at once.
		 */
		STANDALONE,

		/**
		 * Without Redis: this app's matching handlers run in the publishing thread and other
		 * apps get nothing. For development and tests.
		 */
		INLINE

	}

}
