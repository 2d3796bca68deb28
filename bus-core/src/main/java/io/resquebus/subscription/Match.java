package io.resquebus.subscription;

import io.resquebus.wire.BusAttributes;

/**
 * Matcher values with queue-bus's meaning (wire-format §5 and §6.2), for {@code @Attribute} and the
 * dispatch DSL. Besides these, a plain value matches an attribute whose Ruby {@code to_s} equals
 * it or, failing that, matches it as an anchored regular expression ({@code "3|4"} is tried as
 * {@code ^3|4$}, with no grouping, as Ruby does).
 */
public final class Match {

	/** The attribute is there, even with a {@code null} value. */
	public static final String KEY = BusAttributes.SPECIAL_VALUE_PREFIX + "key";

	/** The attribute is {@code null} or missing. */
	public static final String NIL = BusAttributes.SPECIAL_VALUE_PREFIX + "nil";

	/** The attribute is not {@code null} ({@code ""} and {@code false} count). */
	public static final String VALUE = BusAttributes.SPECIAL_VALUE_PREFIX + "value";

	/** The attribute is not {@code null} and its Ruby {@code to_s} is {@code ""}. */
	public static final String EMPTY = BusAttributes.SPECIAL_VALUE_PREFIX + "empty";

	/** The attribute is missing, {@code null}, empty or only whitespace. */
	public static final String BLANK = BusAttributes.SPECIAL_VALUE_PREFIX + "blank";

	/** The attribute has something besides whitespace ({@code 0}, {@code false} and {@code []} count). */
	public static final String PRESENT = BusAttributes.SPECIAL_VALUE_PREFIX + "present";

	private Match() {
	}

	/**
	 * A regular expression the attribute must contain a match of (anchor it with {@code ^} and
	 * {@code $} as needed), stored in Ruby's {@code Regexp#to_s} form {@code (?-mix:...)} so Ruby
	 * drivers read it the same way.
	 */
	public static String regex(String regex) {
		return RubyRegex.toRubyForm(regex, false);
	}

	/** As {@link #regex(String)}, ignoring case. */
	public static String regexIgnoringCase(String regex) {
		return RubyRegex.toRubyForm(regex, true);
	}

}
