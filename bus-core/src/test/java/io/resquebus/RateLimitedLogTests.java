package io.resquebus;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.support.LogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTests {

	@RegisterExtension
	final LogLines lines = new LogLines(RateLimitedLogTests.class);

	private final AtomicLong nanos = new AtomicLong(1_000);

	private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTests.class),
			Duration.ofMinutes(1), this.nanos::get);

	@Test
	void logsTheFirstOccurrenceAtOnceThenOneLinePerIntervalWithTheCountsSinceTheLast() {
		assertThat(this.log.warn(3, "dropped {} in {} time(s)")).isTrue();
		for (int i = 0; i < 999; i++) {
			assertThat(this.log.warn(2, "dropped {} in {} time(s)")).isFalse();
		}
		this.nanos.addAndGet(Duration.ofSeconds(59).toNanos());
		this.log.warn(2, "dropped {} in {} time(s)");
		assertThat(this.lines.warnings()).containsExactly("dropped 3 in 1 time(s)");
		this.nanos.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.log.warn(5, "dropped {} in {} time(s)")).isTrue();
		assertThat(this.lines.warnings()).containsExactly("dropped 3 in 1 time(s)", "dropped 2005 in 1001 time(s)");
	}

	@Test
	void countsOccurrencesAfterTheCallersOwnArguments() {
		this.log.warn("regex {} on {} went over ({} time(s))", "(a+)+", "x");
		this.log.warn("regex {} on {} went over ({} time(s))", "(a+)+", "x");
		this.nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		this.log.warn("regex {} on {} went over ({} time(s))", "(b+)+", "y");
		assertThat(this.lines.warnings()).containsExactly("regex (a+)+ on x went over (1 time(s))",
				"regex (b+)+ on y went over (2 time(s))");
	}

	@Test
	void flushLogsWhatWasCountedSinceTheLastLineAndNothingWhenNothingWas() {
		assertThat(this.log.flush()).isFalse();
		this.log.warn(1, "dropped {} in {} time(s)");
		assertThat(this.log.flush()).isFalse();
		this.log.warn(4, "dropped {} in {} time(s)");
		this.log.warn(5, "dropped {} in {} time(s)");
		assertThat(this.log.flush()).isTrue();
		assertThat(this.log.flush()).isFalse();
		assertThat(this.lines.warnings()).containsExactly("dropped 1 in 1 time(s)", "dropped 9 in 2 time(s)");
	}

}
