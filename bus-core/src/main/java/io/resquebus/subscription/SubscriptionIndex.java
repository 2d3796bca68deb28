package io.resquebus.subscription;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.RubyValues;

/**
 * Every app's subscriptions, indexed for the driver, which matches each event against all of them.
 * A subscription whose {@code bus_event_type} value is a plain word (ASCII letters, digits and a few
 * characters no Ruby regex reads other than literally, see {@link #isPlain}) can only match an event
 * of exactly that type: its anchored regex {@code ^word$} matches a text without a line feed iff the
 * text is the word.
 * Those are found by a map lookup; every other subscription (regexes, special values, no
 * {@code bus_event_type}) is matched against each event as before. An event type holding a line
 * feed, where Ruby's {@code ^}/{@code $} also match inside the text, is matched against all.
 * Either way each candidate runs its full matcher, so the result is exactly the linear one.
 */
public final class SubscriptionIndex {

	private static final int[] NONE = new int[0];

	private final List<Subscription> all;

	private final Map<String, int[]> byEventType;

	private final int[] others;

	private SubscriptionIndex(List<Subscription> all, Map<String, int[]> byEventType, int[] others) {
		this.all = all;
		this.byEventType = byEventType;
		this.others = others;
	}

	public static SubscriptionIndex of(List<Subscription> subscriptions) {
		List<Subscription> all = List.copyOf(subscriptions);
		Map<String, List<Integer>> byEventType = new HashMap<>();
		List<Integer> others = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			String eventType = all.get(i).matcher().matcher().get(BusAttributes.EVENT_TYPE);
			if (eventType != null && isPlain(eventType)) {
				byEventType.computeIfAbsent(eventType, (type) -> new ArrayList<>()).add(i);
			}
			else {
				others.add(i);
			}
		}
		Map<String, int[]> index = new HashMap<>(byEventType.size() * 2);
		byEventType.forEach((type, positions) -> index.put(type, toArray(positions)));
		return new SubscriptionIndex(all, index, toArray(others));
	}

	/** Every subscription, in registry order. */
	public List<Subscription> all() {
		return this.all;
	}

	/**
	 * The subscriptions the event matches, in registry order, each regex bounded by the budget.
	 */
	public List<Subscription> matching(Map<String, ?> event, MatchBudget budget) {
		Object given = event.get(BusAttributes.EVENT_TYPE);
		String type = RubyValues.toS(given);
		if (type.indexOf('\n') >= 0) {
			return matchingAll(event, budget);
		}
		int[] exact = this.byEventType.getOrDefault(type, NONE);
		List<Subscription> matching = new ArrayList<>(exact.length + 1);
		// Merge the two ascending position lists so the result keeps the registry order.
		int e = 0;
		int o = 0;
		while (e < exact.length || o < this.others.length) {
			int next;
			if (o >= this.others.length || (e < exact.length && exact[e] < this.others[o])) {
				next = exact[e++];
			}
			else {
				next = this.others[o++];
			}
			Subscription subscription = this.all.get(next);
			if (budget.matches(subscription, event)) {
				matching.add(subscription);
			}
		}
		return matching;
	}

	private List<Subscription> matchingAll(Map<String, ?> event, MatchBudget budget) {
		List<Subscription> matching = new ArrayList<>();
		for (Subscription subscription : this.all) {
			if (budget.matches(subscription, event)) {
				matching.add(subscription);
			}
		}
		return matching;
	}

	/**
	 * Whether a matcher value matches nothing but itself (in a text without a line feed): not a
	 * special value, and no character a Ruby regex reads other than literally.
	 */
	static boolean isPlain(String value) {
		if (value.isEmpty() || value.startsWith("bus_special_value_")) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
					|| c == '-' || c == ':' || c == '/' || c == '@' || c == ' ' || c == ',' || c == '=';
			if (!plain) {
				return false;
			}
		}
		return true;
	}

	private static int[] toArray(List<Integer> positions) {
		int[] array = new int[positions.size()];
		for (int i = 0; i < array.length; i++) {
			array[i] = positions.get(i);
		}
		return array;
	}

}
