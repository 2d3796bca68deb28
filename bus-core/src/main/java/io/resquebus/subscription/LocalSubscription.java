package io.resquebus.subscription;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.resquebus.BusHandler;
import io.resquebus.wire.BusAttributes;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;

/**
 * A subscription of this application together with the handler that serves it.
 *
 * @param key the sub key, unique within the app and stable across deploys
 * @param queue the queue suffix: {@code default}, {@code critical} or a name of your own
 * @param matcher attribute name to expected value, as stored in the registry
 * @param handler what runs when a matching event arrives
 * @param source where the subscription was declared, for messages (e.g. a method)
 * @param sync whether the handler also runs in the publishing thread when this app publishes a
 * matching event (instead of through its queue)
 * @param retry how a failed run of this subscription is retried, or {@code null} for the worker's
 * default policy
 */
public record LocalSubscription(String key, String queue, Map<String, String> matcher, BusHandler handler,
		String source, boolean sync, @Nullable RetryPolicy retry) {

	public static final String DEFAULT_QUEUE = "default";

	public static final String CRITICAL_QUEUE = "critical";

	public LocalSubscription {
		matcher = Collections.unmodifiableMap(new LinkedHashMap<>(matcher));
		EventMatcher.validate(matcher);
	}

	/** A subscription retried under the worker's default policy. */
	public LocalSubscription(String key, String queue, Map<String, String> matcher, BusHandler handler,
			String source, boolean sync) {
		this(key, queue, matcher, handler, source, sync, null);
	}

	/** An asynchronous subscription: delivered through its queue. */
	public LocalSubscription(String key, String queue, Map<String, String> matcher, BusHandler handler,
			String source) {
		this(key, queue, matcher, handler, source, false);
	}

	/** This subscription with its own retry policy ({@code null}: the worker's default). */
	public LocalSubscription withRetry(@Nullable RetryPolicy retry) {
		return new LocalSubscription(this.key, this.queue, this.matcher, this.handler, this.source, this.sync, retry);
	}

	/** The matcher of a subscription to one event type. */
	public static Map<String, String> eventType(String eventType) {
		return Map.of(BusAttributes.EVENT_TYPE, eventType);
	}

}
