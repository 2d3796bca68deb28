package io.resquebus.subscription;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.BusListener;
import io.resquebus.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the work of matching subscriptions against events. Any app can write the registry, and a
 * regex such as {@code (?-mix:^(a+)+\1$)} backtracks for hours on the wrong attribute; without a
 * bound one such subscription would stall the driver for every app. So each regex match may read
 * at most {@link #steps()} characters of the attribute (backtracking reads them over and over, so
 * this measures its work, deterministically). A match over the budget counts as no match for that
 * event: the driver goes on to the next subscription and the next event. Each such miss is counted
 * per subscription ({@link #exceeded()}, shown by health and the endpoint), reported to the
 * {@link BusListener} and logged, at most once a minute with the counts.
 */
public final class MatchBudget {

	/** The default budget: some tens of milliseconds of one core, far above what a sane regex reads. */
	public static final long DEFAULT_STEPS = 1_000_000;

	/** Most subscriptions tracked in {@link #exceeded()}; a hostile registry cannot grow it further. */
	static final int MAX_TRACKED = 1000;

	private static final Logger log = LoggerFactory.getLogger(MatchBudget.class);

	private final long steps;

	private final Map<String, AtomicLong> exceeded = new ConcurrentHashMap<>();

	private final RateLimitedLog warnings = new RateLimitedLog(log, RateLimitedLog.DEFAULT_INTERVAL);

	private volatile BusListener listener = BusListener.NONE;

	/**
	 * @param steps the most characters one regex match may read, positive
	 */
	public MatchBudget(long steps) {
		if (steps <= 0) {
			throw new IllegalArgumentException("A match step budget must be positive: " + steps);
		}
		this.steps = steps;
	}

	/** A budget of {@link #DEFAULT_STEPS}. */
	public static MatchBudget defaults() {
		return new MatchBudget(DEFAULT_STEPS);
	}

	public long steps() {
		return this.steps;
	}

	/** Told of every match over the budget (metrics); none by default. */
	public void setListener(BusListener listener) {
		this.listener = listener;
	}

	/** Whether a registry subscription matches the event; false when a regex goes over the budget. */
	public boolean matches(Subscription subscription, Map<String, ?> event) {
		return matches(subscription.appKey(), subscription.key(), subscription.matcher(), event);
	}

	/** Whether the subscription {@code subKey} of {@code appKey} matches; false when a regex goes over the budget. */
	public boolean matches(String appKey, String subKey, EventMatcher matcher, Map<String, ?> event) {
		try {
			return matcher.matches(event, this.steps);
		}
		catch (EventMatcher.OverBudgetException ex) {
			String subscription = appKey + "/" + subKey;
			AtomicLong count = this.exceeded.get(subscription);
			if (count == null && this.exceeded.size() < MAX_TRACKED) {
				count = this.exceeded.computeIfAbsent(subscription, (key) -> new AtomicLong());
			}
			long times = (count != null) ? count.incrementAndGet() : 0;
			this.warnings.warn(
					"Subscription {} (regex {}) went over the match budget of {} steps and counts as not matching "
							+ "({} event(s) so far); {} match(es) went over the budget since the last such warning",
					subscription, ex.regex(), this.steps, times);
			this.listener.matchBudgetExceeded(appKey, subKey);
			return false;
		}
	}

	/**
	 * The subscriptions ({@code app/key}) whose matcher went over the budget since start, with how
	 * many events it happened on; at most {@link #MAX_TRACKED} of them, sorted.
	 */
	public Map<String, Long> exceeded() {
		Map<String, Long> copy = new TreeMap<>();
		this.exceeded.forEach((key, count) -> copy.put(key, count.get()));
		return copy;
	}

	/** How many times the subscription {@code appKey/subKey} went over the budget; 0 if never (or untracked). */
	public long exceeded(String appKey, String subKey) {
		AtomicLong count = this.exceeded.get(appKey + "/" + subKey);
		return (count != null) ? count.get() : 0;
	}

}
