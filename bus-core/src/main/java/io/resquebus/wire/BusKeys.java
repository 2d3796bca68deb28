package io.resquebus.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every Redis key the bus reads or writes (spec section 2), under one namespace prefix.
 * Java-only keys wrap the full key of the Ruby key they belong to in braces, so they share its
 * Redis Cluster slot.
 */
public final class BusKeys {

	/** The queue every publisher pushes to and every driver pops from. */
	public static final String INCOMING_QUEUE = "bus_incoming";

	private final String prefix;

	/**
	 * @param namespace Resque's namespace, {@code resque} by default; empty for no prefix
	 */
	public BusKeys(String namespace) {
		this.prefix = namespace.isEmpty() ? "" : namespace + ":";
	}

	public String prefix() {
		return this.prefix;
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
		return this.prefix + "resque-retry:" + JobClasses.WORKER + ":" + sha1Hex(eventJson);
	}

	/**
	 * resque-retry's attempt counter of a plain Resque job (golden notes 7):
	 * {@code resque-retry:<Class>[:<sha1 of args.join('-')>]}, without the identifier when the
	 * joined args are empty, whitespace removed, so Ruby and Java workers count the same job together.
	 * @param args the job's args as decoded from its JSON
	 */
	public String retryCounter(String jobClass, java.util.List<?> args) {
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

	private static String sha1Hex(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
