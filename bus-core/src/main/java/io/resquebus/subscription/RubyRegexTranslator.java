package io.resquebus.subscription;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One left-to-right pass rewriting a Ruby (Onigmo) regex source into {@code java.util.regex} syntax
 * (wire-format §6.3), tracking escapes, character classes, groups and the {@code i}/{@code x} options
 * in effect. Throws {@link UnsupportedRegexException} for what Java cannot reproduce and for some
 * sources Ruby rejects but Java would accept; sources both reject are passed on for Java to refuse.
 */
final class RubyRegexTranslator {

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

        Frame(boolean extended, boolean ignoreCase, boolean lookaround) {
            this.extended = extended;
            this.ignoreCase = ignoreCase;
            this.lookaround = lookaround;
        }
    }

    private final String src;
    private final int len;
    private final StringBuilder out;
    private final Deque<Frame> outer = new ArrayDeque<>();
    private Frame frame = new Frame(false, false, false);
    private Last last = Last.NONE;
    private int pos;
    private boolean sawNamedGroup;
    private boolean sawNumberedBackref;
    private final Map<String, String> groupNames = new HashMap<>();
    private final Set<String> javaGroupNames = new HashSet<>();
    private final Set<String> duplicateGroupNames = new HashSet<>();
    private int generatedNames;

    private RubyRegexTranslator(String src) {
        this.src = src;
        this.len = src.length();
        this.out = new StringBuilder(len + 16);
    }

    static String translate(String rubySource) {
        return new RubyRegexTranslator(rubySource).run();
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
            return;
        }
        String ruby = src.substring(pos, i + 1);
        checkTarget(ruby);
        checkRepeat(low, ruby);
        checkRepeat(high, ruby);
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
        frame = outer.pop();
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
        else if (!groupNames.containsKey(name)) {
            throw unsupported(construct, "refers to an undefined group, which Ruby rejects");
        }
        else {
            out.append("\\k<").append(groupNames.get(name)).append('>');
        }
    }

    private void property(char p) {
        if (pos >= len || src.charAt(pos) != '{') {
            out.append(p); // Ruby reads \p without braces as the letter
            return;
        }
        int end = src.indexOf('}', pos);
        if (end < 0) {
            throw unsupported("\\" + p + "{", "is not terminated, which Ruby rejects");
        }
        String name = src.substring(pos + 1, end);
        boolean negated = p == 'P';
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        if (!name.matches("[A-Za-z0-9_ .=-]+")) {
            throw unsupported("\\" + p + "{" + name + "}", "is not a valid property name");
        }
        pos = end + 1;
        out.append(RubyProperties.property(name, negated));
    }

    // ---- character classes -------------------------------------------------------------------

    private void charClass() {
        out.append('[');
        pos++;
        if (pos < len && src.charAt(pos) == '^') {
            out.append('^');
            pos++;
        }
        if (pos < len && src.charAt(pos) == ']') {
            out.append("\\]"); // Ruby reads a leading ] as a literal
            pos++;
        }
        while (pos < len) {
            int cp = src.codePointAt(pos);
            switch (cp) {
                case ']' -> {
                    out.append(']');
                    pos++;
                    return;
                }
                case '[' -> {
                    if (!posixBracket()) {
                        charClass();
                    }
                }
                case '\\' -> classEscape();
                case '&' -> {
                    boolean intersection = src.startsWith("&&", pos);
                    out.append(intersection ? "&&" : "&");
                    pos += intersection ? 2 : 1;
                }
                case '-' -> {
                    out.append('-');
                    pos++;
                }
                default -> {
                    appendInClass(cp);
                    pos += Character.charCount(cp);
                }
            }
        }
        // unterminated: Java rejects it as Ruby does
    }

    /**
     * {@code [:alpha:]} or {@code [:^alpha:]} as Onigmo's {@code parse_posix_bracket} reads it;
     * returns false when the {@code [} opens a nested class.
     */
    private boolean posixBracket() {
        if (!src.startsWith("[:", pos)) {
            return false;
        }
        int i = pos + 2;
        boolean negated = i < len && src.charAt(i) == '^';
        if (negated) {
            i++;
        }
        for (String name : RubyProperties.POSIX_BRACKETS) {
            if (src.startsWith(name, i)) {
                if (!src.startsWith(":]", i + name.length())) {
                    throw unsupported(src.substring(pos, i + name.length()), "is not a POSIX bracket Ruby knows");
                }
                out.append(RubyProperties.posixBracket(name, negated));
                pos = i + name.length() + 2;
                return true;
            }
        }
        int j = i;
        for (int n = 0; j < len && src.charAt(j) != ':' && src.charAt(j) != ']' && n < 20; n++) {
            j++;
        }
        if (src.startsWith(":]", j)) {
            throw unsupported(src.substring(pos, j + 2), "is not a POSIX bracket Ruby knows");
        }
        // Not a POSIX bracket: Onigmo reads the [ as a literal.
        out.append("\\[");
        pos++;
        return true;
    }

    private void classEscape() {
        if (pos + 1 >= len) {
            out.append('\\');
            pos++;
            return;
        }
        char c = src.charAt(pos + 1);
        switch (c) {
            case 'd', 'D', 'w', 'W', 's', 'S' -> {
                out.append('\\').append(c);
                pos += 2;
            }
            case 'h' -> {
                out.append("0-9a-fA-F");
                pos += 2;
            }
            case 'H' -> {
                out.append("[^0-9a-fA-F]");
                pos += 2;
            }
            case 'p', 'P' -> {
                pos += 2;
                property(c);
            }
            case 'b' -> {
                out.append("\\x{8}");
                pos += 2;
            }
            default -> {
                pos++;
                for (int cp : escapedCodePoints(true)) {
                    appendEscaped(cp);
                }
            }
        }
    }

    // ---- single characters -------------------------------------------------------------------

    /**
     * Reads the escape whose letter is at {@code pos} and yields the characters it stands for:
     * control escapes, {@code \xHH}, <code>&#92;uHHHH</code>, <code>&#92;u{H H}</code>, octal, {@code \cX},
     * {@code \C-X}, and otherwise the escaped character itself (Ruby ignores unknown escapes).
     */
    private int[] escapedCodePoints(boolean inClass) {
        int cp = src.codePointAt(pos);
        pos += Character.charCount(cp);
        return switch (cp) {
            case 't' -> new int[] {0x09};
            case 'n' -> new int[] {0x0a};
            case 'r' -> new int[] {0x0d};
            case 'f' -> new int[] {0x0c};
            case 'v' -> new int[] {0x0b};
            case 'a' -> new int[] {0x07};
            case 'e' -> new int[] {0x1b};
            case 'x' -> new int[] {byteValue("\\x", readRadix(16, 2), "hex")};
            case 'u' -> unicodeEscape();
            case '0' -> new int[] {byteValue("\\0", readRadixOrZero(8, 2), "octal")};
            case 'c' -> new int[] {control("\\c")};
            case 'C' -> {
                if (pos >= len || src.charAt(pos) != '-') {
                    throw unsupported("\\C", "without '-' is rejected by Ruby");
                }
                pos++;
                yield new int[] {control("\\C-")};
            }
            case 'M' -> throw unsupported("\\M-", "(meta escape) has no java.util.regex equivalent");
            case '1', '2', '3', '4', '5', '6', '7' -> {
                if (!inClass) {
                    throw new IllegalStateException("backreferences are handled by the caller");
                }
                pos--;
                yield new int[] {byteValue("\\" + (char) cp, readRadix(8, 3), "octal")};
            }
            default -> new int[] {cp};
        };
    }

    private int byteValue(String escape, int value, String kind) {
        if (value < 0) {
            throw unsupported(escape, "without " + kind + " digits is rejected by Ruby");
        }
        if (value > 0x7f) {
            throw unsupported(escape + Integer.toHexString(value),
                    "is a raw byte above 0x7F, which Ruby only accepts as part of a UTF-8 sequence");
        }
        return value;
    }

    private int control(String escape) {
        if (pos >= len || src.charAt(pos) == '\\' || src.charAt(pos) >= 0x80) {
            throw unsupported(escape, "must be followed by one ASCII character");
        }
        char c = src.charAt(pos++);
        return c == '?' ? 0x7f : c & 0x9f;
    }

    private int[] unicodeEscape() {
        if (pos < len && src.charAt(pos) == '{') {
            int end = src.indexOf('}', pos);
            String body = end < 0 ? "" : src.substring(pos + 1, end).strip();
            if (body.isEmpty() || !body.matches("[0-9a-fA-F]{1,6}( +[0-9a-fA-F]{1,6})*")) {
                throw unsupported("\\u{", "is not a valid Unicode escape in Ruby");
            }
            pos = end + 1;
            String[] parts = body.split(" +");
            int[] cps = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                cps[i] = codePoint(Integer.parseInt(parts[i], 16));
            }
            return cps;
        }
        int start = pos;
        int value = readRadix(16, 4);
        if (pos - start != 4) {
            throw unsupported("\\u" + src.substring(start, pos), "needs four hex digits in Ruby");
        }
        return new int[] {codePoint(value)};
    }

    private int codePoint(int value) {
        if (value > Character.MAX_CODE_POINT || (value >= 0xd800 && value <= 0xdfff)) {
            throw unsupported("\\u" + Integer.toHexString(value), "is not a valid code point in Ruby");
        }
        return value;
    }

    /** Up to {@code max} digits; -1 when there is none. */
    private int readRadix(int radix, int max) {
        int value = -1;
        for (int n = 0; n < max && pos < len && Character.digit(src.charAt(pos), radix) >= 0 && src.charAt(pos) < 0x80; n++) {
            value = (value < 0 ? 0 : value * radix) + Character.digit(src.charAt(pos++), radix);
        }
        return value;
    }

    private int readRadixOrZero(int radix, int max) {
        int value = readRadix(radix, max);
        return value < 0 ? 0 : value;
    }

    /** A character that came from an escape: emitted so that Java reads it literally, in any mode. */
    private void appendEscaped(int cp) {
        checkFold(cp);
        if (isAsciiLetter(cp) || cp == '_' || (cp >= 0x80 && !isRubySpace(cp))) {
            out.appendCodePoint(cp);
        }
        else if (cp > 0x20 && cp < 0x7f && !isDigit((char) cp)) {
            out.append('\\').append((char) cp);
        }
        else {
            appendHex(cp);
        }
    }

    /** A raw character inside a class: whitespace and {@code #} are escaped since Java's x mode drops them. */
    private void appendInClass(int cp) {
        checkFold(cp);
        if (cp == '#') {
            out.append("\\#");
        }
        else if (cp == '^') {
            out.append("\\^");
        }
        else if (cp < 0x80 && isRubySpace(cp)) {
            appendHex(cp);
        }
        else {
            out.appendCodePoint(cp);
        }
    }

    private void appendHex(int cp) {
        out.append("\\x{").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append('}');
    }

    /** Ruby folds ß to "ss" (and similar) under {@code i}; Java folds one character to one. */
    private void checkFold(int cp) {
        if (frame.ignoreCase && cp >= 0x80 && hasMultiCharFold(cp)) {
            throw unsupported(new String(Character.toChars(cp)),
                    "under case-insensitive matching folds to several characters in Ruby, not in Java");
        }
    }

    private static boolean hasMultiCharFold(int cp) {
        if (cp == 0x1e9e) {
            return true;
        }
        String s = new String(Character.toChars(cp));
        String upper = s.toUpperCase(Locale.ROOT);
        String lower = s.toLowerCase(Locale.ROOT);
        return upper.codePointCount(0, upper.length()) != 1 || lower.codePointCount(0, lower.length()) != 1;
    }

    private UnsupportedRegexException unsupported(String construct, String reason) {
        return new UnsupportedRegexException(construct, src, reason);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Unicode White_Space, which Onigmo skips in extended mode. */
    private static boolean isRubySpace(int cp) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f
                || cp == 0x205f || cp == 0x3000;
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
