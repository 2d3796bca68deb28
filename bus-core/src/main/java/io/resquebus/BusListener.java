package io.resquebus;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Observes the bus at work, for metrics and tracing without a dependency of the core on them.
 * Every method has a no-op default. Calls come from publishing threads and runner threads, so an
 * implementation must be thread-safe, cheap and must not throw.
 */
public interface BusListener {

	/** The listener that does nothing. */
	BusListener NONE = new BusListener() {
	};

	/**
	 * An event is about to be published, before it is encoded.
	 * @param eventType the event's {@code bus_event_type}
	 * @return what follows that publish
	 */
	default Publishing publishing(String eventType) {
		return Publishing.NONE;
	}

	/** The driver pushed a job for the event to a subscription's queue. */
	default void driven(@Nullable String eventType, String queue) {
	}

	/**
	 * A worker is about to call the handler of subscription {@code subKey} for a job of
	 * {@code queue}, in the thread that calls it.
	 * @return what follows the handler call
	 */
	default Handling handling(String queue, String subKey, Map<String, Object> event) {
		return Handling.NONE;
	}

	/** A job went to the failed list. */
	default void failed(String queue, @Nullable String eventType, Throwable error) {
	}

	/**
	 * Matching subscription {@code subKey} of {@code appKey} against an event went over the
	 * {@link io.resquebus.subscription.MatchBudget}; it counted as no match.
	 */
	default void matchBudgetExceeded(String appKey, String subKey) {
	}

	/** A failed job was scheduled to run again ({@code attempt} counts from 1). */
	default void retried(String queue, @Nullable String eventType, int attempt, Throwable error) {
	}

	/** One listener calling each of the given ones in order. */
	static BusListener of(List<BusListener> listeners) {
		return (listeners.isEmpty()) ? NONE
				: (listeners.size() == 1) ? listeners.get(0) : new CompositeBusListener(listeners);
	}

	/** Follows one publish. */
	interface Publishing {

		Publishing NONE = new Publishing() {
		};

		/** Attributes the event carries in addition (the trace context, for one). */
		default Map<String, Object> attributes() {
			return Map.of();
		}

		/** The event was sent (or scheduled). */
		default void published() {
		}

		/** The publish failed; nothing was sent. */
		default void failed(Throwable error) {
		}

	}

	/** Follows one handler call; ended in the thread that started it. */
	interface Handling {

		Handling NONE = new Handling() {
		};

		default void succeeded() {
		}

		default void failed(Throwable error) {
		}

	}

}
