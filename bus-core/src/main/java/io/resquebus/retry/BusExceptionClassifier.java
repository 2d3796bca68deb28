package io.resquebus.retry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.invoke.EventBindingException;
import io.resquebus.invoke.UnknownSubscriptionException;
import io.resquebus.wire.MalformedJobException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.ConversionException;
import tools.jackson.databind.DatabindException;

/**
 * Says which handler errors are worth retrying: those retrying cannot fix (a job that cannot be
 * parsed or bound, an unknown subscription) go to the failed list at once. Modelled on
 * spring-kafka's {@code ExceptionClassifier}: start from {@link #defaultFatalExceptionsList()},
 * add or remove classifications; the closest classified superclass decides, and unless
 * {@link #setTraverseCauses(boolean) told otherwise} the causes of an unclassified error are
 * looked at too. Declare a bean of it to replace the default in a Spring Boot application.
 */
public class BusExceptionClassifier {

	private final Map<Class<? extends Throwable>, Boolean> classified = new LinkedHashMap<>();

	private boolean traverseCauses = true;

	/** Classifies {@link #defaultFatalExceptionsList()} as not retryable, everything else as retryable. */
	public BusExceptionClassifier() {
		defaultFatalExceptionsList().forEach((type) -> this.classified.put(type, false));
	}

	/**
	 * The errors retrying cannot fix: a malformed or oversized job
	 * ({@link MalformedJobException}), an event that cannot be bound to the handler's parameter
	 * ({@link EventBindingException}, Jackson's {@link DatabindException}, Spring's
	 * {@link ConversionException}, {@link ClassCastException}), a job for a subscription this app
	 * does not have ({@link UnknownSubscriptionException}) and a handler method that cannot be
	 * found ({@link NoSuchMethodException}).
	 */
	public static List<Class<? extends Throwable>> defaultFatalExceptionsList() {
		return List.of(MalformedJobException.class, EventBindingException.class, UnknownSubscriptionException.class,
				DatabindException.class, ConversionException.class, ClassCastException.class,
				NoSuchMethodException.class);
	}

	/** These errors, and their subclasses unless classified otherwise, go to the failed list at once. */
	@SafeVarargs
	public final void addNotRetryableExceptions(Class<? extends Throwable>... types) {
		for (Class<? extends Throwable> type : types) {
			this.classified.put(type, false);
		}
	}

	/** These errors, and their subclasses unless classified otherwise, are retried (e.g. to undo a default). */
	@SafeVarargs
	public final void addRetryableExceptions(Class<? extends Throwable>... types) {
		for (Class<? extends Throwable> type : types) {
			this.classified.put(type, true);
		}
	}

	/**
	 * Forgets how a type was classified.
	 * @return {@code true} if it was retryable, {@code false} if not, {@code null} if unclassified
	 */
	public @Nullable Boolean removeClassification(Class<? extends Throwable> type) {
		return this.classified.remove(type);
	}

	/** Whether an unclassified error is classified by its causes (the default) or retried. */
	public void setTraverseCauses(boolean traverseCauses) {
		this.traverseCauses = traverseCauses;
	}

	/** Whether retrying could fix the error; unclassified errors are retryable. */
	public boolean isRetryable(Throwable error) {
		Throwable current = error;
		int depth = 0;
		while (current != null && depth++ < 32) {
			Boolean classification = classify(current.getClass());
			if (classification != null) {
				return classification;
			}
			if (!this.traverseCauses || current.getCause() == current) {
				break;
			}
			current = current.getCause();
		}
		return true;
	}

	private @Nullable Boolean classify(Class<?> type) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			Boolean classification = this.classified.get(candidate);
			if (classification != null) {
				return classification;
			}
		}
		return null;
	}

}
