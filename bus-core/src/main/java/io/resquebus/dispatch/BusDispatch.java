package io.resquebus.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import io.resquebus.internal.EventBinder;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.EventMatcher;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.Match;
import io.resquebus.subscription.UnsupportedRegexException;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.RubyValues;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;

/**
 * Declares subscriptions in code, as queue-bus's {@code dispatch} block does, into the app's
 * {@link AppSubscriptions} (the same registry as {@code @BusSubscriber}):
 * <pre class="code">
 * dispatch.subscribe("user_created", (event) -&gt; ...);                  // key "user_created"
 * dispatch.critical("user_paid", UserPaid.class, (paid) -&gt; ...);       // record bound from the attributes
 * dispatch.queue("bannana").subscribe("peeled", (event) -&gt; ...);      // queue app_bannana
 * dispatch.subscribePattern("^user_", (event) -&gt; ...);                // key "(?-mix:^user_)"
 * dispatch.subscribe("my_key", Map.of("user_id", Match.PRESENT, "page", "homepage"), (event) -&gt; ...);
 * dispatch.sync().subscribe("user_created", (event) -&gt; ...);
 * dispatch.onHeartbeat("nightly", HeartbeatSchedule.daily(3, 0), (event) -&gt; ...);
 * </pre>
 * As in Ruby, the sub key is the event type (or the pattern in Ruby's form) unless a matcher
 * map is given, and a subscription with a key already taken replaces the earlier one. Views
 * made by {@link #queue}, {@link #critical()} and {@link #sync()} declare into the same registry.
 */
public final class BusDispatch {

	private final AppSubscriptions subscriptions;

	private final EventBinder binder;

	private final String source;

	private final String queue;

	private final boolean sync;

	private final @Nullable RetryPolicy retry;

	private final BiFunction<String, BusHandler, BusHandler> decorator;

	/**
	 * @param subscriptions where the subscriptions go
	 * @param binder binds attributes to the types typed handlers take
	 * @param source says where the subscriptions come from in messages, e.g. a bean name
	 */
	public BusDispatch(AppSubscriptions subscriptions, EventBinder binder, String source) {
		this(subscriptions, binder, source, (key, handler) -> handler);
	}

	/**
	 * @param decorator wraps each handler with its subscription key, e.g. in the interceptor chain
	 */
	public BusDispatch(AppSubscriptions subscriptions, EventBinder binder, String source,
			BiFunction<String, BusHandler, BusHandler> decorator) {
		this(subscriptions, binder, source, LocalSubscription.DEFAULT_QUEUE, false, null, decorator);
	}

	private BusDispatch(AppSubscriptions subscriptions, EventBinder binder, String source, String queue,
			boolean sync, @Nullable RetryPolicy retry, BiFunction<String, BusHandler, BusHandler> decorator) {
		this.subscriptions = subscriptions;
		this.binder = binder;
		this.source = source;
		this.queue = queue;
		this.sync = sync;
		this.retry = retry;
		this.decorator = decorator;
	}

	/**
	 * Subscriptions declared through the returned view land on {@code <app_key>_<queue>}, as
	 * Ruby's {@code bannana "peeled" do ... end} does.
	 */
	public BusDispatch queue(String queue) {
		if (queue.isBlank()) {
			throw new IllegalArgumentException(this.source + ": a queue name must not be blank");
		}
		return new BusDispatch(this.subscriptions, this.binder, this.source, queue, this.sync, this.retry, this.decorator);
	}

	/** Subscriptions declared through the returned view land on the critical queue, worked first. */
	public BusDispatch critical() {
		return queue(LocalSubscription.CRITICAL_QUEUE);
	}

	/**
	 * Subscriptions declared through the returned view are synchronous: when this app publishes
	 * a matching event, the handler runs in the publisher's thread instead of through the queue
	 * (see {@link LocalSubscription#sync()}).
	 */
	public BusDispatch sync() {
		return new BusDispatch(this.subscriptions, this.binder, this.source, this.queue, true, this.retry, this.decorator);
	}

	/**
	 * Failed runs of subscriptions declared through the returned view are retried under this
	 * policy instead of the application's, e.g.
	 * {@code dispatch.retry(BusRetryPolicies.delays(3, List.of(Duration.ofSeconds(10)), Duration.ZERO))}
	 * (see {@link io.resquebus.retry.BusRetryPolicies}).
	 */
	public BusDispatch retry(RetryPolicy retry) {
		return new BusDispatch(this.subscriptions, this.binder, this.source, this.queue, this.sync, retry, this.decorator);
	}

	/** Subscribes to one event type; the sub key is the event type. */
	public void subscribe(String eventType, BusHandler handler) {
		add(eventType, LocalSubscription.eventType(eventType), handler);
	}

	/**
	 * Subscribes to one event type with a handler taking a record or POJO bound from the
	 * attributes ({@code Map.class} for the attributes, {@code BusEvent.class} for the event).
	 */
	public <T> void subscribe(String eventType, Class<T> type, BusConsumer<? super T> handler) {
		subscribe(eventType, typed(eventType, type, handler));
	}

	/**
	 * Subscribes under the given key to every event whose attributes match (all entries, by
	 * queue-bus rules): values are {@link Match} constants, a {@link Pattern}, or anything else
	 * as its Ruby {@code to_s}. As in Ruby, the event type is not implied; add a
	 * {@code bus_event_type} entry to require one. Use an ordered map (e.g.
	 * {@link LinkedHashMap}) for a stable order in the registry.
	 */
	public void subscribe(String key, Map<String, ?> matcher, BusHandler handler) {
		add(key, stored(key, matcher), handler);
	}

	/** As {@link #subscribe(String, Map, BusHandler)}, with a typed handler. */
	public <T> void subscribe(String key, Map<String, ?> matcher, Class<T> type, BusConsumer<? super T> handler) {
		subscribe(key, matcher, typed(key, type, handler));
	}

	/**
	 * Subscribes to every event type a regular expression finds (anchor it with {@code ^} and
	 * {@code $} as needed); the sub key is the pattern in Ruby's form, {@code (?-mix:^user_)}.
	 */
	public void subscribePattern(String regex, BusHandler handler) {
		String stored = Match.regex(regex);
		add(stored, Map.of(BusAttributes.EVENT_TYPE, stored), handler);
	}

	/** As {@link #subscribePattern(String, BusHandler)}, with a typed handler. */
	public <T> void subscribePattern(String regex, Class<T> type, BusConsumer<? super T> handler) {
		subscribePattern(regex, typed(Match.regex(regex), type, handler));
	}

	/**
	 * Subscribes under the given key to queue-bus's minute heartbeat at the given times (Ruby's
	 * {@code on_heartbeat}); the event carries {@code epoch_minutes}, {@code minute},
	 * {@code hour}, {@code day}, {@code wday} and the other fields of {@code heartbeat_minutes}.
	 */
	public void onHeartbeat(String key, HeartbeatSchedule schedule, BusHandler handler) {
		subscribe(key, schedule.matcher(), handler);
	}

	/** Subscribes to one event type on the critical queue. */
	public void critical(String eventType, BusHandler handler) {
		critical().subscribe(eventType, handler);
	}

	/** Subscribes to one event type on the critical queue with a typed handler. */
	public <T> void critical(String eventType, Class<T> type, BusConsumer<? super T> handler) {
		critical().subscribe(eventType, type, handler);
	}

	/** Subscribes under the given key, on the critical queue, to the events whose attributes match. */
	public void critical(String key, Map<String, ?> matcher, BusHandler handler) {
		critical().subscribe(key, matcher, handler);
	}

	private <T> BusHandler typed(String key, Class<T> type, BusConsumer<? super T> handler) {
		EventBinder.Argument argument;
		try {
			argument = this.binder.argument(type, describe(key));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(describe(key) + ": the handler " + ex.getMessage());
		}
		return new BusHandler() {

			@Override
			public void handle(BusEvent event) throws Exception {
				handler.accept(type.cast(argument.resolve(event)));
			}

			@Override
			public String toString() {
				return describe(key);
			}

		};
	}

	private Map<String, String> stored(String key, Map<String, ?> matcher) {
		Map<String, String> stored = new LinkedHashMap<>();
		matcher.forEach((name, value) -> stored.put(name, (value instanceof Pattern pattern)
				? rubyForm(key, pattern) : RubyValues.toS(value)));
		return stored;
	}

	private void add(String key, Map<String, String> matcher, BusHandler handler) {
		if (key.isBlank()) {
			throw new IllegalArgumentException(this.source + ": a subscription key must not be blank");
		}
		try {
			EventMatcher.validate(matcher);
		}
		catch (IllegalArgumentException | UnsupportedRegexException ex) {
			// no cause: the message says it all and stays the root cause a failed start shows
			throw new IllegalArgumentException(describe(key) + ": " + ex.getMessage());
		}
		this.subscriptions
			.add(new LocalSubscription(key, this.queue, matcher, this.decorator.apply(key, handler), describe(key),
					this.sync, this.retry));
	}

	private String describe(String key) {
		return this.source + " [" + key + "]";
	}

	/** A {@link Pattern} as Ruby stores a regex; of its flags only case insensitivity has a Ruby form here. */
	private String rubyForm(String key, Pattern pattern) {
		int flags = pattern.flags() & ~Pattern.CASE_INSENSITIVE & ~Pattern.UNICODE_CASE;
		if (flags != 0) {
			throw new IllegalArgumentException(describe(key) + ": pattern '" + pattern
					+ "' has flags the registry cannot carry; only CASE_INSENSITIVE is stored (in Ruby's form)");
		}
		return (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0 ? Match.regexIgnoringCase(pattern.pattern())
				: Match.regex(pattern.pattern());
	}

}
