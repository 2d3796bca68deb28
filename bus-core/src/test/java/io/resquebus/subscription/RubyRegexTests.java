package io.resquebus.subscription;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RubyRegexTests {

	private static boolean finds(String rubySource, String input) {
		return RubyRegex.compile(rubySource).matcher(input).find();
	}

	// ---- rule 1: option groups -------------------------------------------------------------------

	@Test
	void rewritesOptionGroupsWithoutJavaMultilineFlag() {
		assertThat(RubyRegex.translate("(?-mix:a.b)")).isEqualTo("(?-six:a.b)");
		assertThat(RubyRegex.translate("(?i-mx:user)")).isEqualTo("(?iu-sx:user)");
		assertThat(RubyRegex.translate("(?m-ix:a.b)")).isEqualTo("(?s-ix:a.b)");
		assertThat(RubyRegex.compile("x").flags()).isEqualTo(Pattern.MULTILINE | Pattern.UNIX_LINES);
	}

	@Test
	void keepsLineAnchorsInsideAPlainRubyGroup() {
		assertThat(finds("(?-mix:^cat$)", "dog\ncat\nbird")).isTrue();
		assertThat(finds("(?-mix:a.b)", "a\nb")).isFalse();
		assertThat(finds("(?m-ix:a.b)", "a\nb")).isTrue();
	}

	@Test
	void matchesCaseInsensitivelyAcrossUnicode() {
		assertThat(finds("(?i-mx:été)", "ÉTÉ")).isTrue();
	}

	@Test
	void appliesAnInlineOptionToTheRestOfTheGroupIncludingAlternatives() {
		// Onigmo reads a(?i)b|c as a(?i:b|c); Java would read it as (ab)|(c).
		assertThat(RubyRegex.translate("a(?i)b|c")).isEqualTo("a(?iu:b|c)");
		assertThat(finds("a(?i)b|c", "xc")).isFalse();
		assertThat(finds("a(?i)b|c", "aC")).isTrue();
		assertThat(finds("(x(?i)y|z)w", "xZw")).isTrue();
	}

	@Test
	void dropsCommentsAndWhitespaceInExtendedMode() {
		assertThat(finds("(?x) a b  # [unclosed \\K comment\n c", "abc")).isTrue();
		assertThat(finds("(?x: a b ) c", "ab c")).isTrue();
		assertThat(finds("(?x: a b ) c", "abc")).isFalse();
	}

	// ---- rule 2: ^ --------------------------------------------------------------------------------

	@Test
	void matchesCaretOnEmptyInput() {
		assertThat(RubyRegex.translate("^a")).isEqualTo("(?:\\A|^)a");
		assertThat(finds("^$", "")).isTrue();
		assertThat(finds("^.*$", "")).isTrue();
		assertThat(finds("^b", "a\nb")).isTrue();
		assertThat(finds("\\n^", "a\n")).isFalse();
	}

	@Test
	void keepsCaretInsideClasses() {
		assertThat(RubyRegex.translate("[^a][b^]")).isEqualTo("[^a][b\\^]");
		assertThat(finds("^[^a][b^]$", "x^")).isTrue();
	}

	// ---- rule 3: \h --------------------------------------------------------------------------------

	@Test
	void readsBackslashHAsAHexDigit() {
		assertThat(RubyRegex.translate("\\h\\H[\\h_]")).isEqualTo("[0-9a-fA-F][^0-9a-fA-F][0-9a-fA-F_]");
		assertThat(finds("^\\h+$", "beefCAFE09")).isTrue();
		assertThat(finds("^\\h+$", " \t")).isFalse();
		assertThat(finds("^\\H$", "g")).isTrue();
		assertThat(finds("^[\\H]$", "a")).isFalse();
	}

	// ---- rule 4: braces ----------------------------------------------------------------------------

	@Test
	void readsOmittedLowerBoundAsZero() {
		assertThat(RubyRegex.translate("a{,3}")).isEqualTo("a{0,3}");
		assertThat(finds("^a{,3}$", "")).isTrue();
		assertThat(finds("^a{,3}$", "aaaa")).isFalse();
		assertThat(finds("^a{2}b{1,}c{1,2}?$", "aabbc")).isTrue();
	}

	@Test
	void readsBracesThatStartNoQuantifierLiterally() {
		assertThat(RubyRegex.translate("a{x}{,}{")).isEqualTo("a\\{x}\\{,}\\{");
		assertThat(finds("^a{x}$", "a{x}")).isTrue();
		assertThat(finds("^{,}$", "{,}")).isTrue();
	}

	// ---- rule 5: inside classes --------------------------------------------------------------------

	@Test
	void readsBackslashBInsideAClassAsBackspace() {
		assertThat(RubyRegex.translate("[\\b]")).isEqualTo("[\\x{8}]");
		assertThat(finds("^[\\b]$", "\b")).isTrue();
	}

	@Test
	void keepsWhitespaceAndHashInsideClassesInExtendedMode() {
		assertThat(RubyRegex.translate("[ #\t]")).isEqualTo("[\\x{20}\\#\\x{9}]");
		assertThat(finds("(?x)^[ #]$", " ")).isTrue();
		assertThat(finds("(?x)^[ #]$", "#")).isTrue();
	}

	// ---- rule 6: Unicode classes -------------------------------------------------------------------

	@Test
	void readsPosixBracketsAsUnicodeClasses() {
		assertThat(finds("^[[:alpha:]]+$", "été")).isTrue();
		assertThat(finds("^\\w+$", "été")).isFalse();
		assertThat(finds("^[[:digit:]]$", "٣")).isTrue();
		assertThat(finds("^[[:upper:]][[:lower:]]$", "Éé")).isTrue();
		assertThat(finds("^[[:space:]]$", "\u2003")).isTrue();
		assertThat(finds("^[[:^alpha:]]$", "é")).isFalse();
		assertThat(finds("^[[:alnum:]_]+$", "a_٣")).isTrue();
		assertThat(finds("^[[:xdigit:]]$", "g")).isFalse();
		assertThat(finds("^[[:word:]]+$", "e\u0301_1")).isTrue();
	}

	@Test
	void readsPunctBracketWithAsciiSymbolsButPunctPropertyWithout() {
		assertThat(finds("^[[:punct:]]$", "$")).isTrue();
		assertThat(finds("^\\p{Punct}$", "$")).isFalse();
		assertThat(finds("^\\p{Punct}$", "!")).isTrue();
	}

	@Test
	void readsRubyPropertyNames() {
		assertThat(finds("^\\p{Alpha}$", "é")).isTrue();
		assertThat(finds("^\\p{^Alpha}$", "é")).isFalse();
		assertThat(finds("^\\P{^Alpha}$", "é")).isTrue();
		assertThat(finds("^\\p{Greek}+$", "αβ")).isTrue();
		assertThat(finds("^\\p{lu}$", "É")).isTrue();
		assertThat(finds("^\\p{In_Basic_Latin}+$", "abc")).isTrue();
		assertThat(finds("^\\p{White_Space}$", "\u3000")).isTrue();
		assertThat(finds("^[\\p{Digit}x]+$", "x٣")).isTrue();
	}

	@Test
	void rejectsUnknownPosixBrackets() {
		assertThatExceptionOfType(UnsupportedRegexException.class).isThrownBy(() -> RubyRegex.translate("[[:foo:]]"))
				.withMessageContaining("[:foo:]");
		assertThat(finds("^[[:a]$", ":")).isTrue();
	}

	// ---- rule 7: other rewrites --------------------------------------------------------------------

	@Test
	void dropsInlineComments() {
		assertThat(RubyRegex.translate("a(?#no \\) here)b*")).isEqualTo("ab*");
		assertThat(finds("^a(?#x)b$", "ab")).isTrue();
	}

	@Test
	void renamesGroupNamesJavaRejects() {
		String java = RubyRegex.translate("(?<first_name>\\w+) \\k<first_name>");
		assertThat(java).doesNotContain("first_name");
		assertThat(finds("^(?<first_name>\\w+) \\k<first_name>$", "bob bob")).isTrue();
		assertThat(finds("^(?'x_1'a)\\k'x_1'$", "aa")).isTrue();
		assertThat(finds("^(?<ok>a)\\k<ok>$", "ab")).isFalse();
	}

	@Test
	void readsOctalAndBracedUnicodeEscapes() {
		assertThat(RubyRegex.translate("\\0\\012\\u{1F600}")).isEqualTo("\\x{0}\\x{A}😀");
		assertThat(finds("^a\\012b$", "a\nb")).isTrue();
		assertThat(finds("^\\u{1F600}$", "😀")).isTrue();
		assertThat(finds("^\\u{41 42}+$", "ABB")).isTrue();
		assertThat(finds("^[\\101-\\103]+$", "ABC")).isTrue();
		assertThat(finds("^\\x41\\u0042$", "AB")).isTrue();
	}

	// ---- Ruby meanings Java would read differently ------------------------------------------------

	@Test
	void readsBackslashVAsVerticalTabOnly() {
		assertThat(finds("^\\v$", "\u000b")).isTrue();
		assertThat(finds("^\\v$", "\n")).isFalse();
	}

	@Test
	void readsControlEscapesLikeRuby() {
		assertThat(finds("^\\ca\\C-b\\c?$", "\u0001\u0002\u007f")).isTrue();
	}

	@Test
	void readsUnknownLetterEscapesAsTheLetter() {
		assertThat(finds("^\\Qa\\E\\y$", "QaEy")).isTrue();
	}

	@Test
	void usesUnicodeWordBoundaries() {
		assertThat(finds("caf\\b", "café")).isFalse();
		assertThat(finds("caf\\b", "caf é")).isTrue();
	}

	// ---- untranslatable constructs -----------------------------------------------------------------

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiterString = " | ", quoteCharacter = '`', textBlock = """
			a**            | stacked quantifier
			a+*            | stacked quantifier
			a{2}?          | stacked quantifier
			a{2,3}+        | stacked quantifier
			a\\Kb          | \\K
			(?<n>a)\\g<n>  | \\g<
			(?~abc)        | (?~
			(?(1)a|b)      | (?(
			(a)\\101       | \\101
			(?i)ß          | ß
			^*             | after an anchor
			(?s)a          | (?s
			(?u)a          | (?u
			\\M-a          | \\M-
			\\xE9          | \\xe9
			(?<a>x)\\1     | numbered backreference
			(?<a>x)|(?<a>y)\\k<a> | \\k<a>
			a{100001}      | a{100001}
			""")
	void rejectsConstructsJavaCannotReproduce(String ruby, String construct) {
		String source = ruby.replace("\\\\", "\\");
		assertThatExceptionOfType(UnsupportedRegexException.class).isThrownBy(() -> RubyRegex.compile(source))
				.withMessageContaining(construct.replace("\\\\", "\\"));
	}

	@Test
	void leavesInvalidPatternsToJavaToReject() {
		assertThatExceptionOfType(PatternSyntaxException.class).isThrownBy(() -> RubyRegex.compile("[unclosed"));
		assertThatExceptionOfType(PatternSyntaxException.class).isThrownBy(() -> RubyRegex.compile("(a"));
		assertThatExceptionOfType(PatternSyntaxException.class).isThrownBy(() -> RubyRegex.compile("*a"));
	}

	// ---- stored form -------------------------------------------------------------------------------

	@Test
	void storesJavaPatternsInRubyToSForm() {
		assertThat(RubyRegex.toRubyForm("^user_", false)).isEqualTo("(?-mix:^user_)");
		assertThat(RubyRegex.toRubyForm("^user_", true)).isEqualTo("(?-mix:(?i)^user_)");
		assertThat(finds(RubyRegex.toRubyForm("^user_", true), "USER_created")).isTrue();
		assertThat(finds(RubyRegex.toRubyForm("^user_", false), "USER_created")).isFalse();
		assertThat(finds(RubyRegex.toRubyForm("user_", false), "a_user_paid")).isTrue();
	}
}
