package io.resquebus.wire;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A bus job as popped from a queue: the raw bytes (kept for acknowledging and failure entries), the
 * Resque class and the decoded event carried in its single {@code args} string.
 *
 * @param raw the job exactly as it was on the queue
 * @param className the Resque job class, normally {@code QueueBus::Worker}
 * @param event the decoded event attributes, in wire order
 * @param eventJson the event exactly as the job's {@code args} string holds it (what resque-retry
 * hashes), or {@code null} for a job without one
 * @param proxyAt where in {@code raw} the event's last member, {@code bus_class_proxy}, starts (its
 * comma) when {@code raw} is exactly what the bus writes for {@code event}, which has no rider
 * attribute (so {@link WireCodec#riderJob(BusJob, long, String, SubscriptionEntry)} copies the
 * other members from {@code raw}); else -1, also where that is not known (a job decoded from its
 * {@link PlainJob}, which a worker does not fan out)
 */
public record BusJob(String raw, String className, Map<String, Object> event, @Nullable String eventJson,
		int proxyAt) {

	public BusJob {
		if (proxyAt != -1 && !WireCodec.isProxyMember(raw, proxyAt)) {
			throw new IllegalArgumentException("No bus_class_proxy member starts at " + proxyAt + " in the job");
		}
	}

	public BusJob(String raw, String className, Map<String, Object> event) {
		this(raw, className, event, null, -1);
	}

	public BusJob(String raw, String className, Map<String, Object> event, @Nullable String eventJson) {
		this(raw, className, event, eventJson, -1);
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

}
