package io.resquebus.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's table: medians, and scalings read within rounds rather than across them. */
class ResultsTests {

	private static final Results.Figure ONE = new Results.Figure("one", "events/s", true);

	private static final Results.Figure EIGHT = new Results.Figure("eight", "events/s", true);

	private static final Results.Figure SCALING = new Results.Figure("eight ÷ one", "×", true);

	@Test
	void aScalingIsTheMedianOfEachRoundsOwnRatioNotTheRatioOfMedians() {
		Results results = new Results(List.of("bus", "ceiling"));
		// The load drifts: round 2 is twice as fast for everyone, round 3 half as fast.
		double[][] rounds = { { 10, 40 }, { 20, 80 }, { 5, 10 } };
		for (double[] round : rounds) {
			results.add(ONE, "bus", round[0], 1.0);
			results.add(EIGHT, "bus", round[1], 1.0);
			results.add(ONE, "ceiling", round[0] * 2, 1.0);
			results.add(EIGHT, "ceiling", round[1] * 2, 1.0);
		}
		results.addRatio(SCALING, "eight", "one");
		// Per round: 4, 4, 2, so the median is 4; the ratio of medians would be 40 / 10 = 4 here too,
		// but not once a round is dropped; so the samples are checked as well.
		assertThat(results.median("eight ÷ one", "bus")).isEqualTo(4.0);
		assertThat(results.data()).filteredOn((row) -> row.get("figure").equals("eight ÷ one"))
			.singleElement()
			.satisfies((row) -> assertThat(row.toString()).contains("samples=[4.0, 4.0, 2.0]"));
		assertThat(results.markdown()).contains("| eight ÷ one (×, higher is better) | 4.00 | 4.00 | 1.00× |");
	}

	@Test
	void addsNoScalingWhereTheTwoFiguresWereNotTakenInTheSameRounds() {
		Results results = new Results(List.of("bus"));
		results.add(ONE, "bus", 10, 1.0);
		results.add(EIGHT, "bus", 40, 1.0);
		results.add(EIGHT, "bus", 40, 1.0);
		results.addRatio(SCALING, "eight", "one");
		assertThat(results.median("eight ÷ one", "bus")).isNaN();
		assertThat(results.markdown()).doesNotContain("eight ÷ one");
	}

}
