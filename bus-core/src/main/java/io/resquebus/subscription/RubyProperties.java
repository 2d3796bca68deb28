package io.resquebus.subscription;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Ruby (Onigmo) character property and POSIX bracket names → {@code java.util.regex} fragments
 * (wire-format §6.3 rule 6). Ruby's {@code alpha}, {@code digit} etc. are Unicode-wide, while Java's
 * {@code \p{Alpha}} is ASCII-only, so each name maps to the Unicode property Ruby means.
 * Every fragment is valid both inside and outside a character class.
 */
final class RubyProperties {

	private static final String GRAPH = "[^\\p{IsWhite_Space}\\p{Cc}\\p{Cs}\\p{Cn}]";

	/** {@code [[:punct:]]} also covers the ASCII symbols {@code $+<=>^`|~} (Onigmo's XPosixPunct). */
	private static final String XPOSIX_PUNCT =
			"[\\p{IsPunctuation}\\x{24}\\x{2B}\\x{3C}-\\x{3E}\\x{5E}\\x{60}\\x{7C}\\x{7E}]";

	private static final Map<String, String> NAMED = Map.ofEntries(
			Map.entry("alpha", "\\p{IsAlphabetic}"),
			Map.entry("digit", "\\p{Nd}"),
			Map.entry("alnum", "[\\p{IsAlphabetic}\\p{Nd}]"),
			Map.entry("upper", "\\p{IsUppercase}"),
			Map.entry("lower", "\\p{IsLowercase}"),
			Map.entry("space", "\\p{IsWhite_Space}"),
			Map.entry("blank", "[\\p{Zs}\\x{9}]"),
			Map.entry("cntrl", "\\p{Cc}"),
			Map.entry("graph", GRAPH),
			Map.entry("print", "[" + GRAPH + "\\p{Zs}]"),
			Map.entry("punct", "\\p{IsPunctuation}"),
			Map.entry("xposixpunct", XPOSIX_PUNCT),
			Map.entry("xdigit", "[0-9A-Fa-f]"),
			Map.entry("word", "[\\p{IsAlphabetic}\\p{M}\\p{Nd}\\p{Pc}]"),
			Map.entry("ascii", "[\\x{0}-\\x{7F}]"),
			Map.entry("any", "[\\x{0}-\\x{10FFFF}]"),
			Map.entry("assigned", "\\P{Cn}"));

	/** Onigmo's POSIX bracket names; lowercase and case-sensitive. */
	static final List<String> POSIX_BRACKETS = List.of("alnum", "alpha", "ascii", "blank", "cntrl",
			"digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit", "word");

	private static final Set<String> CATEGORIES = Set.of("c", "cc", "cf", "cn", "co", "cs", "l", "lc", "ll",
			"lm", "lo", "lt", "lu", "m", "mc", "me", "mn", "n", "nd", "nl", "no", "p", "pc", "pd", "pe", "pf",
			"pi", "po", "ps", "s", "sc", "sk", "sm", "so", "z", "zl", "zp", "zs");

	private static final Map<String, String> SCRIPTS = new HashMap<>();

	static {
		for (Character.UnicodeScript script : Character.UnicodeScript.values()) {
			SCRIPTS.put(normalize(script.name()), script.name());
		}
	}

	private RubyProperties() {
	}

	/** {@code [:name:]} inside a class, for a name of {@link #POSIX_BRACKETS}. */
	static String posixBracket(String name, boolean negated) {
		String positive = name.equals("punct") ? XPOSIX_PUNCT : NAMED.getOrDefault(name, "\\p{Is" + name + "}");
		return negate(positive, negated);
	}

	/** {@code \p{name}}; Ruby ignores case, spaces, underscores and hyphens in the name. */
	static String property(String name, boolean negated) {
		return negate(positiveProperty(name, normalize(name)), negated);
	}

	private static String positiveProperty(String name, String key) {
		@Nullable String named = NAMED.get(key);
		if (named != null) {
			return named;
		}
		if (CATEGORIES.contains(key)) {
			return "\\p{" + (key.equals("lc") ? "LC" : Character.toUpperCase(key.charAt(0)) + key.substring(1)) + "}";
		}
		@Nullable String script = SCRIPTS.get(key);
		if (script != null) {
			return "\\p{Is" + script + "}";
		}
		if (key.startsWith("in") && key.length() > 2) {
			return "\\p{In" + key.substring(2) + "}";
		}
		// Binary properties (Alphabetic, White_Space, …) and script aliases; Java rejects the rest.
		return "\\p{Is" + name.replace(" ", "").replace("-", "_") + "}";
	}

	private static String negate(String positive, boolean negated) {
		if (!negated) {
			return positive;
		}
		if (positive.startsWith("\\p{")) {
			return "\\P" + positive.substring(2);
		}
		if (positive.startsWith("\\P{")) {
			return "\\p" + positive.substring(2);
		}
		return "[^" + positive + "]";
	}

	private static String normalize(String name) {
		StringBuilder sb = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c != ' ' && c != '_' && c != '-') {
				sb.append(Character.toLowerCase(c));
			}
		}
		return sb.toString();
	}
}
