package io.resquebus.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a {@link BusSubscriber}'s failed runs are retried, overriding the application's policy
 * ({@code resquebus.retry.*}): {@code @BusSubscriber(value = "user_created", retry = @Retry(attempts
 * = 3, delay = "10s"))}. Left at its defaults, the application's policy applies. With
 * {@link #delay()} empty the delays are resque-retry's ({@code 0, 60 s, 10 min, 1 h, 3 h, 6 h});
 * otherwise each retry waits {@code delay × multiplier^n}, at most {@link #maxDelay()}.
 * Durations are written {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601
 * ({@code PT10S}); a retry waits at least a second unless its delay is zero.
 * <p>
 * Every text attribute may hold {@code ${...}} placeholders and {@code #{...}} SpEL, as the
 * attributes of {@link BusSubscriber} do; {@link #attemptsString()} and {@link #multiplierString()}
 * do the same for the numbers (as {@code @Retryable}'s {@code ...String} attributes).
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retry {

	/** Runs in all, the first included: 1 never retries. -1 (the default) keeps the application's policy. */
	int attempts() default -1;

	/** {@link #attempts()} as text, e.g. {@code ${billing.retry.attempts}}; when not empty it wins. */
	String attemptsString() default "";

	/** The first retry's delay, e.g. {@code 10s}; empty for resque-retry's delays. */
	String delay() default "";

	/** What each further delay is multiplied by; 1 (the default) for a fixed delay. */
	double multiplier() default 1.0;

	/** {@link #multiplier()} as text, e.g. {@code ${billing.retry.multiplier:2}}; when not empty it wins. */
	String multiplierString() default "";

	/** The longest delay; empty for 6 hours. */
	String maxDelay() default "";

	/** How far delays may randomly move, so failures together do not come back together; empty for none. */
	String jitter() default "";

}
