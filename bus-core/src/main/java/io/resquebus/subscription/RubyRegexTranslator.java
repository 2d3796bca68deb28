package io.resquebus.subscription;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One left-to-right pass rewriting a Ruby (Onigmo) regex source into {@code java.util.regex} syntax
 * (wire-format §6.3), tracking escapes, character classes, groups and the {@code i}/{@code x} options
 * in effect. Throws {@link UnsupportedRegexException} for what Java cannot reproduce and for some
 * sources Ruby rejects but Java would accept; sources both reject are passed on for Java to refuse.
 */
final class RubyRegexTranslator extends RegexScanner {

	/** Where iteration counts stop growing (sums of two stay positive). */
	private static final long SATURATED = Long.MAX_VALUE / 2;

	/** Onigmo's ONIG_MAX_REPEAT_NUM. */
	private static final int MAX_REPEAT = 100_000;

	/** What the previous token was, to tell a quantifier's target apart. */
	private enum Last { NONE, ANCHOR, ATOM, QUANTIFIED }

	/** Options of one group; {@code pendingCloses} counts the groups opened for {@code (?i)}-style options. */
	private static final class Frame {
		boolean extended;
		boolean ignoreCase;
		final boolean lookaround;
		int pendingCloses;
		/** The most iterations one item of this group runs: counted repeats nested in it, multiplied. */
		long repeats = 1;

		Frame(boolean extended, boolean ignoreCase, boolean lookaround) {
			this.extended = extended;
			this.ignoreCase = ignoreCase;
			this.lookaround = lookaround;
		}
	}

	private final Deque<Frame> outer = new ArrayDeque<>();
	private Frame frame = new Frame(false, false, false);
	private Last last = Last.NONE;
	/** The iterations of the last atom, more than 1 for a group with counted repeats inside. */
	private long lastRepeats = 1;
	private boolean lastIsGroup;
	/** Iterations of repeated groups in one pass over the pattern, saturating; see {@link #groupIterations}. */
	private long groupIterations;
	private boolean sawNamedGroup;
	private boolean sawNumberedBackref;
	private final Map<String, String> groupNames = new HashMap<>();
	private final Set<String> javaGroupNames = new HashSet<>();
	private final Set<String> duplicateGroupNames = new HashSet<>();
	private int generatedNames;

	private RubyRegexTranslator(String src) {
		super(src);
	}

	@Override
	boolean ignoreCase() {
		return frame.ignoreCase;
	}

	static String translate(String rubySource) {
		return new RubyRegexTranslator(rubySource).run();
	}

	/**
	 * How many group iterations one attempt of the pattern at one position may run: the repeat
	 * counts of repeated groups, multiplied when nested, summed. A group may match the empty
	 * string, and java.util.regex then loops without reading a character, so the match budget
	 * charges this per start position up front: {@code ((?:$){100000}){100000}} reads nothing.
	 */
	static long groupIterations(String rubySource) {
		RubyRegexTranslator translator = new RubyRegexTranslator(rubySource);
		translator.run();
		return translator.groupIterations;
	}

	private String run() {
		while (pos < len) {
			step();
		}
		closePending();
		if (sawNamedGroup && sawNumberedBackref) {
			throw unsupported("numbered backreference", "next to named groups is rejected by Ruby");
		}
		return out.toString();
	}

	private void step() {
		int cp = src.codePointAt(pos);
		if (frame.extended) {
			if (cp == '#') {
				while (pos < len && src.charAt(pos) != '\n') {
					pos++;
				}
				return;
			}
			if (isRubySpace(cp)) {
				if (cp < 0x80) {
					out.append((char) cp);
				}
				pos += Character.charCount(cp);
				return;
			}
		}
		if (cp != '*' && cp != '+' && cp != '?' && cp != '{') {
			lastRepeats = 1;
			lastIsGroup = false;
		}
		switch (cp) {
			case '\\' -> escape();
			case '[' -> {
				charClass();
				last = Last.ATOM;
			}
			case '(' -> openGroup();
			case ')' -> closeGroup();
			case '^' -> {
				// Java's multiline ^ fails on empty input; Ruby's matches at the start regardless.
				out.append("(?:\\A|^)");
				pos++;
				last = Last.ANCHOR;
			}
			case '$' -> {
				out.append('$');
				pos++;
				last = Last.ANCHOR;
			}
			case '|' -> {
				out.append('|');
				pos++;
				last = Last.NONE;
			}
			case '*', '+', '?' -> quantifier();
			case '{' -> brace();
			default -> {
				checkFold(cp);
				out.appendCodePoint(cp);
				pos += Character.charCount(cp);
				last = Last.ATOM;
			}
		}
	}

	// ---- quantifiers -------------------------------------------------------------------------

	private void quantifier() {
		char q = src.charAt(pos);
		checkTarget(String.valueOf(q));
		countRepeat(1);
		out.append(q);
		pos++;
		if (pos < len && (src.charAt(pos) == '?' || src.charAt(pos) == '+')) {
			out.append(src.charAt(pos++));
		}
		last = Last.QUANTIFIED;
	}

	/** {@code {n}}, {@code {n,}}, {@code {,n}}, {@code {n,m}}; any other brace is a literal in Ruby. */
	private void brace() {
		int i = pos + 1;
		int lowStart = i;
		while (i < len && isDigit(src.charAt(i))) {
			i++;
		}
		String low = src.substring(lowStart, i);
		String high;
		boolean fixed = false;
		if (i < len && src.charAt(i) == ',') {
			int highStart = ++i;
			while (i < len && isDigit(src.charAt(i))) {
				i++;
			}
			high = src.substring(highStart, i);
			if (low.isEmpty() && high.isEmpty()) {
				i = -1;
			}
		}
		else {
			high = low;
			fixed = true;
			if (low.isEmpty()) {
				i = -1;
			}
		}
		if (i < 0 || i >= len || src.charAt(i) != '}') {
			out.append("\\{");
			pos++;
			last = Last.ATOM;
			lastRepeats = 1;
			lastIsGroup = false;
			return;
		}
		String ruby = src.substring(pos, i + 1);
		checkTarget(ruby);
		checkRepeat(low, ruby);
		checkRepeat(high, ruby);
		String most = high.isEmpty() ? low : high;
		countRepeat(most.isEmpty() ? 0 : Long.parseLong(most));
		out.append('{').append(low.isEmpty() ? "0" : low);
		if (!fixed) {
			out.append(',').append(high);
		}
		out.append('}');
		pos = i + 1;
		// Ruby reads {n}? and {n,m}+ as two stacked quantifiers (rejected on the next step);
		// only {n,m}? is reluctant.
		if (!fixed && pos < len && src.charAt(pos) == '?') {
			out.append('?');
			pos++;
		}
		last = Last.QUANTIFIED;
	}

	private void checkRepeat(String number, String ruby) {
		if (number.length() > 6 || (!number.isEmpty() && Integer.parseInt(number) > MAX_REPEAT)) {
			throw unsupported(ruby, "exceeds Ruby's repeat limit of " + MAX_REPEAT);
		}
	}

	/** Counts the iterations of a repeated group ({@code *} and {@code +} stop at an empty one: 1). */
	private void countRepeat(long bound) {
		long times = Math.max(1, bound);
		long total = (lastRepeats > SATURATED / times) ? SATURATED : times * lastRepeats;
		if (lastIsGroup) {
			groupIterations = Math.min(SATURATED, groupIterations + total);
		}
		frame.repeats = Math.max(frame.repeats, total);
		lastRepeats = total;
	}

	private void checkTarget(String quantifier) {
		if (last == Last.QUANTIFIED) {
			throw unsupported("stacked quantifier " + quantifier,
					"repeats the previous repetition in Ruby; Java reads it differently");
		}
		if (last == Last.ANCHOR) {
			throw unsupported("quantifier " + quantifier + " after an anchor", "is rejected by Ruby");
		}
		// Last.NONE: both Ruby and Java reject a quantifier without a target; Java reports it.
	}

	// ---- groups ------------------------------------------------------------------------------

	private void openGroup() {
		if (!src.startsWith("(?", pos)) {
			push(false);
			out.append('(');
			pos++;
			return;
		}
		char c = pos + 2 < len ? src.charAt(pos + 2) : '\0';
		switch (c) {
			case '#' -> skipGroupComment();
			case '=', '!', '>' -> {
				push(c != '>');
				out.append(src, pos, pos + 3);
				pos += 3;
			}
			case '<' -> {
				char d = pos + 3 < len ? src.charAt(pos + 3) : '\0';
				if (d == '=' || d == '!') {
					push(true);
					out.append(src, pos, pos + 4);
					pos += 4;
				}
				else {
					namedGroup('>');
				}
			}
			case '\'' -> namedGroup('\'');
			case '~' -> throw unsupported("(?~", "(absent operator) has no java.util.regex equivalent");
			case '(' -> throw unsupported("(?(", "(conditional) has no java.util.regex equivalent");
			default -> optionGroup();
		}
	}

	private void push(boolean lookaround) {
		outer.push(frame);
		frame = new Frame(frame.extended, frame.ignoreCase, lookaround);
		last = Last.NONE;
	}

	private void closeGroup() {
		pos++;
		if (outer.isEmpty()) {
			out.append(')'); // unmatched: Java rejects it as Ruby does
			return;
		}
		closePending();
		out.append(')');
		boolean lookaround = frame.lookaround;
		long inner = frame.repeats;
		frame = outer.pop();
		frame.repeats = Math.max(frame.repeats, inner);
		lastRepeats = inner;
		lastIsGroup = !lookaround;
		last = lookaround ? Last.ANCHOR : Last.ATOM;
	}

	private void closePending() {
		for (int i = 0; i < frame.pendingCloses; i++) {
			out.append(')');
		}
		frame.pendingCloses = 0;
	}

	private void skipGroupComment() {
		int i = pos + 3;
		while (i < len && src.charAt(i) != ')') {
			i += src.charAt(i) == '\\' ? 2 : 1;
		}
		if (i >= len) {
			throw unsupported("(?#", "is not terminated, which Ruby rejects");
		}
		pos = i + 1;
	}

	/** {@code (?<name>…)} or {@code (?'name'…)}; names Java rejects are renamed consistently. */
	private void namedGroup(char close) {
		int start = pos + 3;
		int end = src.indexOf(close, start);
		String name = end < 0 ? "" : src.substring(start, end);
		if (!isRubyGroupName(name)) {
			throw unsupported(src.substring(pos, Math.min(len, start + name.length() + 1)),
					"is not a valid group name in Ruby");
		}
		String javaName;
		if (isJavaGroupName(name) && !javaGroupNames.contains(name)) {
			javaName = name;
		}
		else {
			javaName = generateGroupName();
		}
		javaGroupNames.add(javaName);
		if (groupNames.putIfAbsent(name, javaName) != null) {
			duplicateGroupNames.add(name);
		}
		sawNamedGroup = true;
		pos = end + 1;
		push(false);
		out.append("(?<").append(javaName).append('>');
	}

	private String generateGroupName() {
		String name;
		do {
			name = "rubyGroup" + (++generatedNames);
		}
		while (src.contains(name) || javaGroupNames.contains(name));
		return name;
	}

	/** {@code (?imx-imx:…)} and {@code (?imx-imx)}; see §6.3 rule 1. */
	private void optionGroup() {
		StringBuilder on = new StringBuilder();
		StringBuilder off = new StringBuilder();
		boolean negative = false;
		boolean extended = frame.extended;
		boolean ignoreCase = frame.ignoreCase;
		int i = pos + 2;
		for (; i < len; i++) {
			char c = src.charAt(i);
			if (c == ':' || c == ')') {
				break;
			}
			switch (c) {
				case '-' -> negative = true;
				case 'i' -> {
					(negative ? off : on).append(negative ? "i" : "iu");
					ignoreCase = !negative;
				}
				case 'm' -> (negative ? off : on).append('s');
				case 'x' -> {
					(negative ? off : on).append('x');
					extended = !negative;
				}
				case 'a', 'd', 'u', 'l' -> throw unsupported("(?" + c,
						"(character-set option) has no java.util.regex equivalent");
				default -> throw unsupported("(?" + c, "is not a group Ruby understands");
			}
		}
		if (i >= len || i == pos + 2 && src.charAt(i) == ')') {
			throw unsupported(src.substring(pos, Math.min(len, i + 1)), "is not a group Ruby understands");
		}
		String flags = on + (off.length() > 0 ? "-" + off : "");
		if (src.charAt(i) == ':') {
			push(false);
		}
		else {
			// Onigmo applies (?i) to the rest of the enclosing group, alternatives included.
			frame.pendingCloses++;
			last = Last.NONE;
		}
		frame.extended = extended;
		frame.ignoreCase = ignoreCase;
		out.append("(?").append(flags).append(':');
		pos = i + 1;
	}

	// ---- escapes outside classes -------------------------------------------------------------

	private void escape() {
		if (pos + 1 >= len) {
			out.append('\\'); // Java rejects the trailing backslash as Ruby does
			pos++;
			return;
		}
		char c = src.charAt(pos + 1);
		pos += 2;
		last = Last.ATOM;
		switch (c) {
			case 'A', 'z', 'Z', 'G' -> {
				out.append('\\').append(c);
				last = Last.ANCHOR;
			}
			case 'b', 'B' -> {
				// Ruby's word boundary is Unicode-aware although its \w is ASCII-only.
				out.append("(?U:\\").append(c).append(')');
				last = Last.ANCHOR;
			}
			case 'd', 'D', 'w', 'W', 's', 'S', 'R', 'X' -> out.append('\\').append(c);
			case 'h' -> out.append("[0-9a-fA-F]");
			case 'H' -> out.append("[^0-9a-fA-F]");
			case 'p', 'P' -> property(c);
			case 'k' -> namedBackref();
			case 'g' -> {
				if (pos < len && (src.charAt(pos) == '<' || src.charAt(pos) == '\'')) {
					throw unsupported("\\g<…>", "(subexpression call) has no java.util.regex equivalent");
				}
				out.append('g');
			}
			case 'K' -> throw unsupported("\\K", "(keep) has no java.util.regex equivalent");
			case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> backref(c);
			default -> {
				pos--;
				for (int cp : escapedCodePoints(false)) {
					appendEscaped(cp);
				}
			}
		}
	}

	private void backref(char first) {
		int start = pos - 1;
		while (pos < len && isDigit(src.charAt(pos))) {
			pos++;
		}
		if (pos - start > 1) {
			throw unsupported("\\" + src.substring(start, pos),
					"is a backreference or an octal escape depending on the group count in Ruby");
		}
		sawNumberedBackref = true;
		out.append('\\').append(first);
	}

	private void namedBackref() {
		char open = pos < len ? src.charAt(pos) : '\0';
		if (open != '<' && open != '\'') {
			out.append('k');
			return;
		}
		int end = src.indexOf(open == '<' ? '>' : '\'', pos + 1);
		if (end < 0) {
			throw unsupported("\\k" + open, "is not terminated, which Ruby rejects");
		}
		String name = src.substring(pos + 1, end);
		String construct = "\\k" + src.substring(pos, end + 1);
		pos = end + 1;
		if (name.length() == 1 && name.charAt(0) >= '1' && name.charAt(0) <= '9') {
			sawNumberedBackref = true;
			out.append("(?:\\").append(name).append(')');
		}
		else if (!isRubyGroupName(name)) {
			throw unsupported(construct, "(relative, multi-digit or leveled backreference) is not supported");
		}
		else if (duplicateGroupNames.contains(name)) {
			throw unsupported(construct, "refers to a name used by several groups; Java cannot express that");
		}
		else {
			@Nullable String javaName = groupNames.get(name);
			if (javaName == null) {
				throw unsupported(construct, "refers to an undefined group, which Ruby rejects");
			}
			out.append("\\k<").append(javaName).append('>');
		}
	}


	private static boolean isRubyGroupName(String name) {
		if (name.isEmpty() || isDigit(name.charAt(0))) {
			return false;
		}
		return name.codePoints().allMatch(c -> c == '_' || Character.isLetterOrDigit(c));
	}

	private static boolean isJavaGroupName(String name) {
		if (!isAsciiLetter(name.charAt(0))) {
			return false;
		}
		return name.chars().allMatch(c -> isAsciiLetter(c) || isDigit((char) c));
	}
}
