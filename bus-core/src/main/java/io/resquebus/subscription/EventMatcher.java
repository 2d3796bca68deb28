package io.resquebus.subscription;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.resquebus.wire.RubyValues;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled subscription matcher with queue-bus semantics (wire-format §6.1, §6.2): it matches an
 * event iff it is non-empty and every entry matches the top-level attribute of the same name.
 *
 * <p>Runs for every event × subscription, so regexes are translated and compiled once (and shared
 * between matchers); string equality with the Ruby {@code to_s} of the attribute is still tried
 * first, as Ruby does. A value whose regex Java cannot use never matches through the regex and is
 * logged once; {@link #validate} refuses such values before we write a subscription.
 *
 * <p>A regex match may read at most a budget of characters (see {@link MatchBudget}): backtracking
 * reads the same characters again and again, so this bounds its work deterministically.
 */
public final class EventMatcher {

	private static final Logger log = LoggerFactory.getLogger(EventMatcher.class);

	private static final String SPECIAL_PREFIX = "bus_special_value_";

	/** Compiled regexes by matcher value; bounded so hostile registries cannot grow it without limit. */
	private static final Map<String, Compiled> CACHE = new ConcurrentHashMap<>();

	private static final int CACHE_LIMIT = 4096;

	private final Map<String, String> matcher;

	private final Entry[] entries;

	private EventMatcher(Map<String, String> matcher, Entry[] entries) {
		this.matcher = matcher;
		this.entries = entries;
	}

	/** Compiles a stored matcher; never throws for values Java cannot translate (they never match). */
	public static EventMatcher compile(Map<String, String> matcher) {
		Map<String, String> copy = new LinkedHashMap<>();
		Entry[] entries = new Entry[matcher.size()];
		int i = 0;
		for (Map.Entry<String, String> e : matcher.entrySet()) {
			String name = Objects.requireNonNull(e.getKey(), "matcher key");
			@Nullable String raw = e.getValue();
			String mine = raw == null ? "" : raw;
			copy.put(name, mine);
			entries[i++] = Entry.of(name, mine);
		}
		return new EventMatcher(Collections.unmodifiableMap(copy), entries);
	}

	/**
	 * Refuses a matcher Java must not register: empty, with an empty value, with a misspelt special
	 * value (Ruby would take it for a regex), or with a regex Java cannot translate or compile (Ruby
	 * would match it and Java would not).
	 *
	 * @throws IllegalArgumentException if the matcher is empty, a key or value is empty, or a regex is invalid
	 * @throws UnsupportedRegexException if a regex uses a construct Java cannot reproduce
	 */
	public static void validate(Map<String, String> matcher) {
		if (matcher.isEmpty()) {
			throw new IllegalArgumentException("A subscription matcher must not be empty: it would never match");
		}
		for (Map.Entry<String, String> e : matcher.entrySet()) {
			String name = e.getKey();
			@Nullable String mine = e.getValue();
			if (name == null || name.isEmpty()) {
				throw new IllegalArgumentException("A subscription matcher key must not be empty: " + matcher);
			}
			if (mine == null || mine.isEmpty()) {
				throw new IllegalArgumentException("Matcher value for '" + name + "' must not be empty: it never matches");
			}
			if (Special.of(mine) == null && mine.startsWith(SPECIAL_PREFIX)) {
				throw new IllegalArgumentException("Matcher value for '" + name + "' is not a special value: '" + mine
						+ "' (the special values are " + SPECIAL_PREFIX + "key, nil, value, empty, blank and present)");
			}
			if (Special.of(mine) == null) {
				try {
					RubyRegex.compile(regexSource(mine));
				}
				catch (PatternSyntaxException ex) {
					throw new IllegalArgumentException("Matcher value for '" + name + "' is not a valid regex: "
							+ ex.getMessage(), ex);
				}
			}
		}
	}

	/**
	 * True iff the matcher is non-empty and every entry matches {@code attributes}; a regex over
	 * {@link MatchBudget#DEFAULT_STEPS} counts as no match (use a {@link MatchBudget} to hear of it).
	 */
	public boolean matches(Map<String, ?> attributes) {
		try {
			return matches(attributes, MatchBudget.DEFAULT_STEPS);
		}
		catch (OverBudgetException ex) {
			return false;
		}
	}

	/**
	 * As {@link #matches(Map)}, each regex match reading at most {@code stepBudget} characters.
	 * @throws OverBudgetException when one reads more
	 */
	boolean matches(Map<String, ?> attributes, long stepBudget) {
		if (entries.length == 0) {
			return false;
		}
		for (Entry entry : entries) {
			if (!entry.matches(attributes, stepBudget)) {
				return false;
			}
		}
		return true;
	}

	/** The matcher as given (null values as {@code ""}), in insertion order, unmodifiable. */
	public Map<String, String> matcher() {
		return matcher;
	}

	@Override
	public String toString() {
		return "EventMatcher" + matcher;
	}

	/** Step 5 of §6.2: a {@code (?-mix:} value is used as is, anything else is anchored (ungrouped). */
	static String regexSource(String mine) {
		return mine.startsWith(RubyRegex.PLAIN_PREFIX) ? mine : "^" + mine + "$";
	}

	private static Compiled compiled(String mine) {
		@Nullable Compiled c = CACHE.get(mine);
		if (c != null) {
			return c;
		}
		if (CACHE.size() >= CACHE_LIMIT) {
			CACHE.clear();
		}
		return CACHE.computeIfAbsent(mine, Compiled::of);
	}

	private enum Special {
		KEY, NIL, VALUE, EMPTY, BLANK, PRESENT;

		static @Nullable Special of(String mine) {
			if (!mine.startsWith(SPECIAL_PREFIX)) {
				return null;
			}
			return switch (mine.substring(SPECIAL_PREFIX.length())) {
				case "key" -> KEY;
				case "nil" -> NIL;
				case "value" -> VALUE;
				case "empty" -> EMPTY;
				case "blank" -> BLANK;
				case "present" -> PRESENT;
				default -> null;
			};
		}
	}

	/**
	 * A translated pattern, or null when Java cannot use it (then it was logged once), with the
	 * group iterations one attempt may run without reading a character (charged per position).
	 */
	private record Compiled(@Nullable Pattern pattern, long groupIterations) {

		static Compiled of(String mine) {
			try {
				String source = regexSource(mine);
				return new Compiled(RubyRegex.compile(source), RubyRegexTranslator.groupIterations(source));
			}
			catch (UnsupportedRegexException | PatternSyntaxException ex) {
				log.warn("Subscription value {} never matches as a regex in Java: {}", mine, ex.getMessage());
				return new Compiled(null, 0);
			}
		}
	}

	private record Entry(String name, String mine, @Nullable Special special, @Nullable Compiled compiled) {

		static Entry of(String name, String mine) {
			if (mine.isEmpty()) {
				return new Entry(name, mine, null, null);
			}
			Special special = Special.of(mine);
			return new Entry(name, mine, special, special == null ? EventMatcher.compiled(mine) : null);
		}

		boolean matches(Map<String, ?> attributes, long stepBudget) {
			if (mine.isEmpty()) {
				return false;
			}
			Object given = attributes.get(name);
			if (special != null) {
				return switch (special) {
					case KEY -> attributes.containsKey(name);
					case NIL -> given == null;
					case VALUE -> given != null;
					case EMPTY -> given != null && RubyValues.toS(given).isEmpty();
					case BLANK -> RubyValues.strip(RubyValues.toS(given)).isEmpty();
					case PRESENT -> !RubyValues.strip(RubyValues.toS(given)).isEmpty();
				};
			}
			String g = RubyValues.toS(given);
			if (mine.equals(g)) {
				return true;
			}
			Pattern pattern = (compiled != null) ? compiled.pattern() : null;
			if (compiled == null || pattern == null) {
				return false;
			}
			// find() tries every position; loops over empty groups there read nothing, so charge them first.
			long upFront = (compiled.groupIterations() > stepBudget / (g.length() + 1L)) ? stepBudget + 1
					: compiled.groupIterations() * (g.length() + 1L);
			if (upFront > stepBudget) {
				throw new OverBudgetException(name, mine);
			}
			return pattern.matcher(new BudgetedChars(g, stepBudget - upFront, this)).find();
		}
	}

	/** The attribute text, counting the characters the regex engine reads; throws past the budget. */
	private static final class BudgetedChars implements CharSequence {

		private final String text;

		private final Entry entry;

		private long left;

		BudgetedChars(String text, long budget, Entry entry) {
			this.text = text;
			this.left = budget;
			this.entry = entry;
		}

		@Override
		public char charAt(int index) {
			if (--left < 0) {
				throw new OverBudgetException(entry.name(), entry.mine());
			}
			return text.charAt(index);
		}

		@Override
		public int length() {
			return text.length();
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return text.subSequence(start, end);
		}

		@Override
		public String toString() {
			return text;
		}
	}

	/** A regex read more characters than its budget allowed; no stack trace, it is an expected outcome. */
	static final class OverBudgetException extends RuntimeException {

		private final String regex;

		OverBudgetException(String attribute, String regex) {
			super("Regex " + regex + " on attribute '" + attribute + "' went over its step budget", null, false, false);
			this.regex = regex;
		}

		String regex() {
			return regex;
		}
	}
}
