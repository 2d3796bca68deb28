package io.resquebus.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Every Redis key the bus reads or writes (spec section 2), under one namespace prefix.
 * Java-only keys wrap the full key of the Ruby key they belong to in braces, so they share its
 * Redis Cluster slot.
 */
public final class BusKeys {

	/** The queue every publisher pushes to and every driver pops from. */
	public static final String INCOMING_QUEUE = "bus_incoming";

	/** How the Java-only partitions of {@code bus_incoming} begin: {@code bus_incoming_p<k>_<n>}. */
	public static final String PARTITION_PREFIX = INCOMING_QUEUE + "_p";

	/** The most partitions of {@code bus_incoming}. */
	public static final int MAX_PARTITIONS = 64;

	/** How many names a partition's slot is chosen from. */
	private static final int PARTITION_CANDIDATES = 1024;

	private final String prefix;

	private final List<String> incomingQueues;

	/**
	 * Keys with the one {@code bus_incoming} of Ruby's bus.
	 * @param namespace Resque's namespace, {@code resque} by default; empty for no prefix
	 */
	public BusKeys(String namespace) {
		this(namespace, 1);
	}

	/**
	 * Keys with {@code bus_incoming} split into partitions (Java-only): see {@link #incomingQueues()}.
	 * @param namespace Resque's namespace, {@code resque} by default; empty for no prefix
	 * @param partitions how many incoming queues, 1 to {@value #MAX_PARTITIONS}; 1 is Ruby's bus
	 */
	public BusKeys(String namespace, int partitions) {
		if (partitions < 1 || partitions > MAX_PARTITIONS) {
			throw new IllegalArgumentException(
					"Partitions of bus_incoming must be 1 to " + MAX_PARTITIONS + ", was " + partitions);
		}
		this.prefix = namespace.isEmpty() ? "" : namespace + ":";
		this.incomingQueues = incomingQueues(partitions);
	}

	public String prefix() {
		return this.prefix;
	}

	/**
	 * The queues publishers spread events over and drivers work: {@code bus_incoming} first, then
	 * the Java-only partitions {@code bus_incoming_p<k>_<n>}. Partition {@code k} of {@code N} is the
	 * name, of {@value #PARTITION_CANDIDATES} candidates {@code n}, whose queue key's Redis Cluster
	 * slot lies nearest {@code k/N} of the way round the slots from {@code bus_incoming}'s; a cluster
	 * whose masters hold equal runs of slots (as {@code redis-cli --cluster create} deals them) so has
	 * each of up to as many partitions as masters on a master of its own. Every process with the same
	 * namespace and count names the same queues.
	 */
	public List<String> incomingQueues() {
		return this.incomingQueues;
	}

	/** Whether a queue is {@code bus_incoming} or one of its partitions, which only drivers work. */
	public static boolean isIncomingQueue(String queueName) {
		return INCOMING_QUEUE.equals(queueName) || queueName.startsWith(PARTITION_PREFIX);
	}

	private List<String> incomingQueues(int partitions) {
		List<String> names = new ArrayList<>(partitions);
		names.add(INCOMING_QUEUE);
		int origin = slot(queue(INCOMING_QUEUE));
		for (int k = 1; k < partitions; k++) {
			int target = (int) ((origin + (long) k * KeySlots.SLOTS / partitions) % KeySlots.SLOTS);
			String best = "";
			int bestDistance = Integer.MAX_VALUE;
			for (int n = 0; n < PARTITION_CANDIDATES; n++) {
				String name = PARTITION_PREFIX + k + "_" + n;
				int distance = Math.abs(slot(queue(name)) - target);
				distance = Math.min(distance, KeySlots.SLOTS - distance);
				if (distance < bestDistance) {
					best = name;
					bestDistance = distance;
				}
			}
			names.add(best);
		}
		return List.copyOf(names);
	}

	private static int slot(String key) {
		return KeySlots.slot(key.getBytes(StandardCharsets.UTF_8));
	}

	public String apps() {
		return this.prefix + "bus_apps";
	}

	/**
	 * Bumped by every Java subscribe or unsubscribe, so drivers reuse what they read while it is
	 * unchanged. Ruby's queue-bus does not know it: its writes are seen after a bounded time.
	 */
	public String registryVersion() {
		return "{" + apps() + "}:version";
	}

	public String app(String appKey) {
		return this.prefix + "bus_app:" + appKey;
	}

	/** Where a subscribe builds the app's new hash before renaming it into place. */
	public String appBuildArea(String appKey, long nonce) {
		return "{" + app(appKey) + "}:tmp:" + nonce;
	}

	public String queues() {
		return this.prefix + "queues";
	}

	public String queue(String queueName) {
		return this.prefix + "queue:" + queueName;
	}

	/** The per-consumer list a job is moved to while it runs (reliable fetch). */
	public String inflight(String queueName, String consumerId) {
		return "{" + queue(queueName) + "}:inflight:" + consumerId;
	}

	/**
	 * Cluster mode: the set of the pushes already done for one event taken from a queue (the
	 * driver's fan-out), named by the event's digest, in that queue's slot: a redelivered event
	 * skips them.
	 */
	public String pushed(String queueName, String eventDigest) {
		return "{" + queue(queueName) + "}:pushed:" + eventDigest;
	}

	/**
	 * Cluster mode: the lease of the one Java scheduler that moves due items, since moving an item
	 * there takes several steps that two schedulers could interleave.
	 */
	public String schedulerLease() {
		return "{" + delayedSchedule() + "}:scheduler";
	}

	/** Every Java consumer id that may hold in-flight jobs; recovery checks their leases. */
	public String consumers() {
		return this.prefix + "java-bus:consumers";
	}

	/**
	 * A Java consumer's lease: it exists, with an expiry, while the consumer is alive. Recovery
	 * takes back the in-flight jobs of consumers whose lease is gone. Ruby never touches it.
	 */
	public String lease(String consumerId) {
		return this.prefix + "java-bus:lease:" + consumerId;
	}

	/** Resque's (2.3+) switch: every worker pauses while it holds {@code true} (trimmed, any case). */
	public String pauseAllWorkers() {
		return this.prefix + "pause-all-workers";
	}

	public String workers() {
		return this.prefix + "workers";
	}

	public String worker(String workerId) {
		return this.prefix + "worker:" + workerId;
	}

	public String workerStarted(String workerId) {
		return this.prefix + "worker:" + workerId + ":started";
	}

	public String workersHeartbeat() {
		return this.prefix + "workers:heartbeat";
	}

	public String failed() {
		return this.prefix + "failed";
	}

	public String statProcessed() {
		return this.prefix + "stat:processed";
	}

	public String statProcessed(String workerId) {
		return this.prefix + "stat:processed:" + workerId;
	}

	public String statFailed() {
		return this.prefix + "stat:failed";
	}

	public String statFailed(String workerId) {
		return this.prefix + "stat:failed:" + workerId;
	}

	public String delayedSchedule() {
		return this.prefix + "delayed_queue_schedule";
	}

	public String delayed(long epochSecond) {
		return this.prefix + delayedMember(epochSecond);
	}

	/** The list of the items due at {@code timestamp}, a member of {@link #delayedSchedule()}. */
	public String delayed(String timestamp) {
		return this.prefix + delayedMember(timestamp);
	}

	/**
	 * The member of an item's {@code timestamps:} set: its delayed list's name without the prefix,
	 * as Ruby writes it (redis-namespace prefixes keys, not values).
	 */
	public static String delayedMember(String timestamp) {
		return "delayed:" + timestamp;
	}

	/** {@link #delayedMember(String)} of an epoch second. */
	public static String delayedMember(long epochSecond) {
		return delayedMember(Long.toString(epochSecond));
	}

	public String timestamps(String delayedItemJson) {
		return this.prefix + "timestamps:" + delayedItemJson;
	}

	/**
	 * resque-retry's attempt counter of a {@code QueueBus::Worker} job (spec 9):
	 * {@code resque-retry:QueueBus::Worker:<sha1 hex of the event JSON string>}, the hash taken
	 * over the exact {@code args} string so Ruby and Java workers count the same job together.
	 */
	public String retryCounter(String eventJson) {
		MessageDigest sha1 = sha1();
		sha1.update(eventJson.getBytes(StandardCharsets.UTF_8));
		return workerRetryCounter(sha1);
	}

	/**
	 * As {@link #retryCounter(String)} of the job's {@link BusJob#eventJson() event string}, hashed
	 * without making that string; {@code null} for a job without one.
	 */
	public @Nullable String retryCounter(BusJob job) {
		return retryCounter(job, null);
	}

	/**
	 * As {@link #retryCounter(BusJob)}, hashed from the job's bytes where they are given.
	 * @param asciiRaw the job's bytes when each is an ASCII character (so one per character of its
	 * {@link BusJob#raw() text}), else {@code null}
	 */
	public @Nullable String retryCounter(BusJob job, byte @Nullable [] asciiRaw) {
		MessageDigest sha1 = sha1();
		return job.digestEventJson(sha1, asciiRaw) ? workerRetryCounter(sha1) : null;
	}

	/** The {@code QueueBus::Worker} counter key of the event string {@code sha1} was fed. */
	private String workerRetryCounter(MessageDigest sha1) {
		return this.prefix + "resque-retry:" + JobClasses.WORKER + ":" + HEX.formatHex(sha1.digest());
	}

	/**
	 * resque-retry's attempt counter of a plain Resque job (golden notes 7):
	 * {@code resque-retry:<Class>[:<sha1 of args.join('-')>]}, without the identifier when the
	 * joined args are empty, whitespace removed, so Ruby and Java workers count the same job together.
	 * @param args the job's args as decoded from its JSON
	 */
	public String retryCounter(String jobClass, List<?> args) {
		String joined = RubyValues.join(args, "-");
		String key = "resque-retry:" + jobClass + (joined.isEmpty() ? "" : ":" + sha1Hex(joined));
		return this.prefix + key.replaceAll("\\s", "");
	}

	public String heartbeatLock() {
		return this.prefix + "bus:heartbeat:lock";
	}

	public String heartbeatTimestamp() {
		return this.prefix + "bus:heartbeat:timestamp";
	}

	/** A digest per thread: looking one up costs more than hashing a job (the worker does it per job). */
	private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	});

	private static final HexFormat HEX = HexFormat.of();

	private static String sha1Hex(String text) {
		return HEX.formatHex(sha1().digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	/** This thread's digest, reset. */
	private static MessageDigest sha1() {
		MessageDigest sha1 = SHA1.get();
		sha1.reset();
		return sha1;
	}

}
