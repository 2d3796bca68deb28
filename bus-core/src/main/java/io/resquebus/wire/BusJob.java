package io.resquebus.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A bus job as popped from a queue: the raw bytes (kept for acknowledging and failure entries), the
 * Resque class and the decoded event carried in its single {@code args} string.
 *
 * <p>A value: the accessors of a record of its components, equal by the first four. Not a record
 * so that the event string of a job read in one pass is decoded only when asked for (the driver
 * never asks; the worker hashes it for the retry counter key without making it).
 */
public final class BusJob {

	private final String raw;

	private final String className;

	private final Map<String, Object> event;

	private @Nullable String eventJson;

	/** Where the still escaped event string lies in {@link #raw}, when {@link #eventJson} is not made yet. */
	private final int eventStart;

	private final int eventEnd;

	private final int proxyAt;

	/**
	 * @param raw the job exactly as it was on the queue
	 * @param className the Resque job class, normally {@code QueueBus::Worker}
	 * @param event the decoded event attributes, in wire order
	 * @param eventJson the event exactly as the job's {@code args} string holds it (what
	 * resque-retry hashes), or {@code null} for a job without one
	 */
	public BusJob(String raw, String className, Map<String, Object> event, @Nullable String eventJson) {
		this(raw, className, event, eventJson, -1);
	}

	/**
	 * As {@link #BusJob(String, String, Map, String)}.
	 * @param proxyAt see {@link #proxyAt()}
	 * @throws IllegalArgumentException when no {@code bus_class_proxy} member starts at {@code proxyAt}
	 */
	public BusJob(String raw, String className, Map<String, Object> event, @Nullable String eventJson,
			int proxyAt) {
		this(raw, className, event, eventJson, -1, -1, proxyAt);
	}

	public BusJob(String raw, String className, Map<String, Object> event) {
		this(raw, className, event, null);
	}

	/**
	 * A job whose event string is {@code raw[eventStart, eventEnd)} escaped with only {@code \"}
	 * and {@code \\}, as {@link EventJsonReader#readEscapedObject} read it.
	 */
	BusJob(String raw, String className, Map<String, Object> event, int eventStart, int eventEnd, int proxyAt) {
		this(raw, className, event, null, eventStart, eventEnd, proxyAt);
	}

	private BusJob(String raw, String className, Map<String, Object> event, @Nullable String eventJson,
			int eventStart, int eventEnd, int proxyAt) {
		if (proxyAt != -1 && !WireCodec.isProxyMember(raw, proxyAt)) {
			throw new IllegalArgumentException("No bus_class_proxy member starts at " + proxyAt + " in the job");
		}
		this.raw = raw;
		this.className = className;
		this.event = event;
		this.eventJson = eventJson;
		this.eventStart = eventStart;
		this.eventEnd = eventEnd;
		this.proxyAt = proxyAt;
	}

	/** The job exactly as it was on the queue. */
	public String raw() {
		return this.raw;
	}

	/** The Resque job class, normally {@code QueueBus::Worker}. */
	public String className() {
		return this.className;
	}

	/** The decoded event attributes, in wire order. */
	public Map<String, Object> event() {
		return this.event;
	}

	/**
	 * The event exactly as the job's {@code args} string holds it (what resque-retry hashes), or
	 * {@code null} for a job without one.
	 */
	public @Nullable String eventJson() {
		String eventJson = this.eventJson;
		if (eventJson == null && this.eventStart >= 0) {
			// Racy but idempotent: every thread makes the same immutable string.
			eventJson = EventJsonReader.unescape(this.raw, this.eventStart, this.eventEnd);
			this.eventJson = eventJson;
		}
		return eventJson;
	}

	/**
	 * Feeds {@code digest} the UTF-8 bytes of {@link #eventJson()}, without making that string when
	 * it is not made yet.
	 * @param asciiRaw the job's bytes when each is an ASCII character (then hashed from them), or
	 * {@code null}
	 * @return {@code false}, feeding nothing, for a job without an event string
	 */
	boolean digestEventJson(MessageDigest digest, byte @Nullable [] asciiRaw) {
		String eventJson = this.eventJson;
		if (eventJson != null) {
			digest.update(eventJson.getBytes(StandardCharsets.UTF_8));
			return true;
		}
		if (this.eventStart < 0) {
			return false;
		}
		if (asciiRaw != null && asciiRaw.length == this.raw.length()) {
			EventJsonReader.digestUnescaped(asciiRaw, this.eventStart, this.eventEnd, digest);
		}
		else {
			EventJsonReader.digestUnescaped(this.raw, this.eventStart, this.eventEnd, digest);
		}
		return true;
	}

	/**
	 * Where in {@link #raw()} the event's last member, {@code bus_class_proxy}, starts (its comma)
	 * when the job is exactly what the bus writes for {@link #event()}, which has no rider attribute
	 * (so {@link WireCodec#riderJob(BusJob, long, String, SubscriptionEntry)} copies the other
	 * members from the job's text); else -1, also where that is not known (a job decoded from its
	 * {@link PlainJob}, which a worker does not fan out).
	 */
	public int proxyAt() {
		return this.proxyAt;
	}

	/** The {@code bus_class_proxy} that selects what to do with the job, or {@code null}. */
	public @Nullable String proxy() {
		Object proxy = this.event.get(BusAttributes.CLASS_PROXY);
		return (proxy != null) ? RubyValues.toS(proxy) : null;
	}

	public @Nullable String eventType() {
		Object type = this.event.get(BusAttributes.EVENT_TYPE);
		return (type != null) ? RubyValues.toS(type) : null;
	}

	/** The value of a {@code bus_*} string attribute, converted as Ruby's {@code to_s} would. */
	public @Nullable String attribute(String name) {
		Object value = this.event.get(name);
		return (value != null) ? RubyValues.toS(value) : null;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof BusJob that && this.raw.equals(that.raw)
				&& this.className.equals(that.className) && this.event.equals(that.event)
				&& Objects.equals(eventJson(), that.eventJson()));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.raw, this.className, this.event, eventJson());
	}

	@Override
	public String toString() {
		return "BusJob[raw=" + this.raw + ", className=" + this.className + ", event=" + this.event + ", eventJson="
				+ eventJson() + "]";
	}

}
