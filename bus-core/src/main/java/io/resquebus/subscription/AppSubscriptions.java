package io.resquebus.subscription;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import io.resquebus.wire.JobClasses;
import io.resquebus.wire.Names;
import io.resquebus.wire.SubscriptionEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of this application, keyed by sub key. A second subscription with the same
 * key replaces the first, as in queue-bus's dispatch block.
 */
public final class AppSubscriptions {

	private static final Logger logger = LoggerFactory.getLogger(AppSubscriptions.class);

	private final @Nullable String appKey;

	private final Map<String, LocalSubscription> byKey = new LinkedHashMap<>();

	private final Map<String, EventMatcher> matchers = new LinkedHashMap<>();

	private volatile MatchBudget matchBudget = MatchBudget.defaults();

	/**
	 * @param appKey the application's key, normalized as Ruby normalizes it; may be missing in an
	 * app that only publishes
	 */
	public AppSubscriptions(@Nullable String appKey) {
		this.appKey = (appKey != null && !appKey.isBlank()) ? Names.appKey(appKey) : null;
	}

	/**
	 * @throws MissingAppKeyException if no app key was given
	 */
	public String appKey() {
		if (this.appKey == null) {
			throw new MissingAppKeyException(all());
		}
		return this.appKey;
	}

	/** Bounds the work of each regex match of {@link #matching}; see {@link MatchBudget}. */
	public void setMatchBudget(MatchBudget matchBudget) {
		this.matchBudget = matchBudget;
	}

	public boolean hasAppKey() {
		return this.appKey != null;
	}

	/** Fails when subscriptions are declared but no app key says whose they are. */
	public void validate() {
		if (!isEmpty()) {
			appKey();
		}
	}

	public synchronized void add(LocalSubscription subscription) {
		LocalSubscription previous = this.byKey.put(subscription.key(), subscription);
		this.matchers.put(subscription.key(), EventMatcher.compile(subscription.matcher()));
		if (previous != null) {
			logger.info("Subscription '{}' of {} replaces the one of {} (same key)", subscription.key(),
					subscription.source(), previous.source());
		}
	}

	public synchronized void addAll(Collection<LocalSubscription> subscriptions) {
		subscriptions.forEach(this::add);
	}

	public synchronized Optional<LocalSubscription> find(String key) {
		return Optional.ofNullable(this.byKey.get(key));
	}

	public synchronized List<LocalSubscription> all() {
		return List.copyOf(this.byKey.values());
	}

	/** The subscriptions an event matches, in the order they were added. */
	public synchronized List<LocalSubscription> matching(Map<String, ?> event) {
		List<LocalSubscription> matching = new ArrayList<>();
		String app = (this.appKey != null) ? this.appKey : "";
		for (LocalSubscription subscription : this.byKey.values()) {
			// added and replaced together with the subscription: never missing
			EventMatcher matcher = Objects.requireNonNull(this.matchers.get(subscription.key()));
			if (this.matchBudget.matches(app, subscription.key(), matcher, event)) {
				matching.add(subscription);
			}
		}
		return matching;
	}

	public synchronized boolean isEmpty() {
		return this.byKey.isEmpty();
	}

	/** The subscriptions as the registry stores them. */
	public synchronized List<SubscriptionEntry> entries() {
		List<SubscriptionEntry> entries = new ArrayList<>(this.byKey.size());
		for (LocalSubscription subscription : this.byKey.values()) {
			entries.add(new SubscriptionEntry(queueName(subscription.queue()), subscription.key(), JobClasses.RIDER,
					subscription.matcher()));
		}
		return entries;
	}

	/** The full queue name for a queue suffix, e.g. {@code app_b_default}. */
	public String queueName(String queue) {
		return Names.queue(appKey(), queue);
	}

	/** The app's queues in the order workers take them: critical, default, then the others by name. */
	public synchronized List<String> queues() {
		TreeSet<String> custom = new TreeSet<>();
		boolean critical = false;
		boolean standard = false;
		for (LocalSubscription subscription : this.byKey.values()) {
			String queue = subscription.queue();
			if (queue.equals(LocalSubscription.CRITICAL_QUEUE)) {
				critical = true;
			}
			else if (queue.equals(LocalSubscription.DEFAULT_QUEUE)) {
				standard = true;
			}
			else {
				custom.add(queueName(queue));
			}
		}
		List<String> queues = new ArrayList<>();
		if (critical) {
			queues.add(queueName(LocalSubscription.CRITICAL_QUEUE));
		}
		if (standard) {
			queues.add(queueName(LocalSubscription.DEFAULT_QUEUE));
		}
		queues.addAll(custom);
		return queues;
	}

}
