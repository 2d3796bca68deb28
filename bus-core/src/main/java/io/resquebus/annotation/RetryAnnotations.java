package io.resquebus.annotation;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.resquebus.retry.BusRetryPolicies;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;

/**
 * Turns a {@link Retry} into a policy.
 */
public final class RetryAnnotations {

	private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

	private static final Duration DEFAULT_MAX_DELAY = Duration.ofHours(6);

	private RetryAnnotations() {
	}

	/**
	 * @return the policy, or {@code null} when the annotation keeps the application's
	 * @throws IllegalArgumentException saying what is wrong
	 */
	public static @Nullable RetryPolicy policy(Retry retry) {
		boolean defaults = retry.attempts() == -1 && retry.delay().isEmpty() && retry.maxDelay().isEmpty()
				&& retry.jitter().isEmpty() && retry.multiplier() == 1.0;
		if (defaults) {
			return null;
		}
		int attempts = (retry.attempts() == -1) ? BusRetryPolicies.DEFAULT_MAX_ATTEMPTS : retry.attempts();
		Duration jitter = retry.jitter().isEmpty() ? Duration.ZERO : duration("jitter", retry.jitter());
		if (retry.delay().isEmpty()) {
			return BusRetryPolicies.delays(attempts, BusRetryPolicies.RESQUE_RETRY_DELAYS, jitter);
		}
		Duration maxDelay = retry.maxDelay().isEmpty() ? DEFAULT_MAX_DELAY : duration("maxDelay", retry.maxDelay());
		return BusRetryPolicies.exponential(attempts, duration("delay", retry.delay()), retry.multiplier(), maxDelay,
				jitter);
	}

	static Duration duration(String attribute, String text) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		Matcher simple = SIMPLE.matcher(value);
		if (simple.matches()) {
			long amount = Long.parseLong(simple.group(1));
			return switch (simple.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		try {
			return Duration.parse(text.trim());
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("@Retry " + attribute + " '" + text
					+ "' is not a duration (e.g. 500ms, 10s, 5m, 1h, 1d or PT10S)");
		}
	}

}
