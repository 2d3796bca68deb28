package io.resquebus.subscription;

import java.util.regex.Pattern;

/**
 * Ruby regular expressions as {@code java.util.regex} patterns (wire-format §6.3), so that Java matches
 * a subscription exactly as Ruby's queue-bus does.
 *
 * <p>Ruby's {@code ^}/{@code $} are line anchors and only {@code \n} ends a line, hence
 * {@code MULTILINE | UNIX_LINES}; options, {@code \h}, POSIX brackets, {@code {,n}} and the like are
 * rewritten. What Java cannot reproduce raises {@link UnsupportedRegexException}.
 */
final class RubyRegex {

	/** The prefix of Ruby's {@code Regexp#to_s} for a pattern without options. */
	public static final String PLAIN_PREFIX = "(?-mix:";

	private RubyRegex() {
	}

	/**
	 * Translates and compiles a Ruby regex source, e.g. {@code (?-mix:^user_)} or {@code ^a|b$}.
	 *
	 * @throws UnsupportedRegexException if Java cannot reproduce it (or Ruby rejects it)
	 * @throws java.util.regex.PatternSyntaxException if it is not a valid pattern
	 */
	public static Pattern compile(String rubySource) {
		return Pattern.compile(translate(rubySource), Pattern.MULTILINE | Pattern.UNIX_LINES);
	}

	/** The {@code java.util.regex} source for {@code rubySource}, to be compiled as {@link #compile} does. */
	public static String translate(String rubySource) {
		return RubyRegexTranslator.translate(rubySource);
	}

	/**
	 * How a Java pattern subscription is stored: Ruby's {@code Regexp#to_s} form {@code (?-mix:SRC)},
	 * or {@code (?-mix:(?i)SRC)} when case-insensitive (wire-format §5). The prefix makes Ruby use the
	 * pattern unanchored, as written.
	 */
	public static String toRubyForm(String javaStyleSource, boolean caseInsensitive) {
		return PLAIN_PREFIX + (caseInsensitive ? "(?i)" : "") + javaStyleSource + ")";
	}
}
