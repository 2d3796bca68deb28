package io.resquebus.annotation;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.resquebus.retry.BusRetryPolicies;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
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
		return policy(retry, null);
	}

	/**
	 * The policy with {@code ${...}} placeholders and {@code #{...}} SpEL in the attributes resolved
	 * against the bean factory, as for the other attributes of {@link BusSubscriber}.
	 * @return the policy, or {@code null} when the annotation keeps the application's
	 * @throws IllegalArgumentException saying what is wrong
	 */
	public static @Nullable RetryPolicy policy(Retry retry, @Nullable BeanFactory beanFactory) {
		AnnotationValueResolver values = new AnnotationValueResolver(beanFactory);
		int attempts = retry.attemptsString().isEmpty() ? retry.attempts()
				: number("attempts", values.resolve(retry.attemptsString()), Integer::parseInt);
		double multiplier = retry.multiplierString().isEmpty() ? retry.multiplier()
				: number("multiplier", values.resolve(retry.multiplierString()), Double::parseDouble);
		String delay = values.resolve(retry.delay());
		String maxDelayText = values.resolve(retry.maxDelay());
		String jitterText = values.resolve(retry.jitter());
		boolean defaults = attempts == -1 && delay.isEmpty() && maxDelayText.isEmpty() && jitterText.isEmpty()
				&& multiplier == 1.0;
		if (defaults) {
			return null;
		}
		attempts = (attempts == -1) ? BusRetryPolicies.DEFAULT_MAX_ATTEMPTS : attempts;
		Duration jitter = jitterText.isEmpty() ? Duration.ZERO : duration("jitter", jitterText);
		if (delay.isEmpty()) {
			return BusRetryPolicies.delays(attempts, BusRetryPolicies.RESQUE_RETRY_DELAYS, jitter);
		}
		Duration maxDelay = maxDelayText.isEmpty() ? DEFAULT_MAX_DELAY : duration("maxDelay", maxDelayText);
		return BusRetryPolicies.exponential(attempts, duration("delay", delay), multiplier, maxDelay, jitter);
	}

	private static <T> T number(String attribute, String text, Function<String, T> parser) {
		try {
			return parser.apply(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("@Retry " + attribute + " '" + text + "' is not a number");
		}
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
