package io.resquebus.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.resquebus.BusListener;
import io.resquebus.support.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Issue 9 item 4: a registry regex cannot hold matching for longer than its step budget. */
class MatchBudgetTests {

	/** Held Ruby-compatible matching indefinitely before the budget. */
	static final String BACKREFERENCE_BOMB = "(?-mix:^(a+)+\\1$)";

	/** Held the driver 45 s for one event against 32 'a' and '!'. */
	static final String NESTED_DOT_STAR = "(?-mix:^(.*a){12}$)";

	@RegisterExtension
	final LogLines lines = new LogLines(MatchBudget.class);

	@Test
	void treatsTheHostilePatternsAsNoMatchWithinTheBudget() {
		MatchBudget budget = MatchBudget.defaults();
		assertThat(budget.matches("evil", "bomb", matcher(BACKREFERENCE_BOMB), event("a".repeat(40) + "!"))).isFalse();
		assertThat(budget.matches("evil", "dots", matcher(NESTED_DOT_STAR), event("a".repeat(32) + "!"))).isFalse();
		assertThat(budget.exceeded()).containsExactly(Map.entry("evil/bomb", 1L), Map.entry("evil/dots", 1L));
		assertThat(matcher(BACKREFERENCE_BOMB).matches(event("a".repeat(40) + "!"))).isFalse();
	}

	@Test
	void letsTheSamePatternsMatchWhatTheyMatchCheaply() {
		MatchBudget budget = MatchBudget.defaults();
		assertThat(budget.matches("evil", "bomb", matcher(BACKREFERENCE_BOMB), event("aaaa"))).isTrue();
		assertThat(budget.matches("evil", "dots", matcher(NESTED_DOT_STAR), event("a".repeat(12)))).isTrue();
		assertThat(budget.matches("app", "user", matcher("(?-mix:^user_)"), event("user_created"))).isTrue();
		assertThat(budget.exceeded()).isEmpty();
	}

	@Test
	void countsStepsNotTimeSoTheOutcomeIsTheSameEveryRun() {
		MatchBudget budget = new MatchBudget(40);
		EventMatcher scan = matcher("(?-mix:b)");
		assertThat(budget.matches("app", "scan", scan, event("a".repeat(39) + "b"))).isTrue();
		assertThat(budget.matches("app", "scan", scan, event("a".repeat(40) + "b"))).isFalse();
		assertThat(budget.exceeded("app", "scan")).isEqualTo(1);
	}

	@Test
	void logsOneWarningForAFloodOfOverBudgetMatchesAndTellsTheListenerOfEach() {
		MatchBudget budget = new MatchBudget(10_000);
		List<String> heard = new ArrayList<>();
		budget.setListener(new BusListener() {
			@Override
			public void matchBudgetExceeded(String appKey, String subKey) {
				heard.add(appKey + "/" + subKey);
			}
		});
		EventMatcher bomb = matcher(BACKREFERENCE_BOMB);
		for (int i = 0; i < 200; i++) {
			assertThat(budget.matches("evil", "bomb", bomb, event("a".repeat(40) + "!"))).isFalse();
		}
		assertThat(this.lines.warnings()).singleElement()
			.satisfies((line) -> assertThat(line).contains("evil/bomb", BACKREFERENCE_BOMB, "10000 steps"));
		assertThat(heard).hasSize(200).containsOnly("evil/bomb");
		assertThat(budget.exceeded()).containsExactly(Map.entry("evil/bomb", 200L));
	}

	@Test
	void tracksABoundedNumberOfSubscriptions() {
		MatchBudget budget = new MatchBudget(1);
		EventMatcher reader = matcher("(?-mix:ab)");
		for (int i = 0; i <= MatchBudget.MAX_TRACKED; i++) {
			assertThat(budget.matches("app", "s" + i, reader, event("xxxx"))).isFalse();
		}
		assertThat(budget.exceeded()).hasSize(MatchBudget.MAX_TRACKED);
	}

	@Test
	void chargesRepeatedGroupsThatLoopWithoutReadingAnythingPerStartPosition() {
		// java.util.regex reads no character looping over an empty group: 10^15 iterations, hours, on "".
		String loops = "(?-mix:(?:(?:(?:$){100000}){100000}){100000})";
		EventMatcher.validate(Map.of("x", loops));
		MatchBudget budget = MatchBudget.defaults();
		assertThat(budget.matches("evil", "loops", matcher(loops), event(""))).isFalse();
		// 100,172 group iterations at each of 1,001 positions; it held a match 2.6 s reading 1,001 characters.
		String flat = "(?-mix:((?:(?=)){316}){316}x)";
		assertThat(budget.matches("evil", "flat", matcher(flat), event("a".repeat(1000)))).isFalse();
		assertThat(budget.exceeded()).containsOnlyKeys("evil/loops", "evil/flat");
		assertThat(RubyRegexTranslator.groupIterations(flat)).isEqualTo(316 + 316 * 316);
		assertThat(RubyRegexTranslator.groupIterations("(?-mix:^(\\d{3}-){3}(?:[a-z]+\\.)+\\w{1,64}$)")).isEqualTo(9 + 1);
		assertThat(budget.matches("app", "phone", matcher("(?-mix:^(\\d{3}-){3}(?:[a-z]+\\.)+\\w{1,64}$)"),
				event("123-456-789-ab.cd.x".repeat(1)))).isTrue();
		assertThat(budget.matches("app", "x", matcher("(?-mix:((?:(?=)){316}){316}x)"), event("x"))).isTrue();
	}

	@Test
	void refusesABudgetThatAllowsNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MatchBudget(0));
	}

	private static EventMatcher matcher(String regex) {
		return EventMatcher.compile(Map.of("x", regex));
	}

	private static Map<String, Object> event(String x) {
		return Map.of("x", x);
	}

}
