package io.resquebus.micrometer;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.resquebus.BusListener;
import io.resquebus.wire.BusAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Counts and times the bus's work in a {@link MeterRegistry}. Every meter of a name has the same
 * tag keys ({@code none} when a value is missing), and every tag value comes from a bounded set:
 * app keys, queue names, subscription keys, exception class names and event types bounded by
 * {@link EventTypeTags}.
 */
public final class BusMetrics implements BusListener {

	/** Events published (or scheduled), by outcome. */
	public static final String PUBLISHED = "resquebus.events.published";

	/** Jobs the driver pushed to a subscription's queue. */
	public static final String DRIVEN = "resquebus.jobs.driven";

	/** Handler calls: a timer of their duration, by outcome. */
	public static final String HANDLED = "resquebus.jobs.handled";

	/** Jobs sent to the failed list. */
	public static final String FAILED = "resquebus.jobs.failed";

	/** Failed jobs scheduled to run again. */
	public static final String RETRIED = "resquebus.jobs.retried";

	/** Subscription matches that went over the match budget and counted as no match. */
	public static final String MATCH_BUDGET_EXCEEDED = "resquebus.matching.budget.exceeded";

	static final String SUCCESS = "success";

	static final String FAILURE = "failure";

	private final MeterRegistry registry;

	private final String app;

	private final EventTypeTags eventTypes;

	private final boolean handlerTimer;

	/**
	 * @param registry where the meters go
	 * @param appKey this app's key, the {@code app} tag of every meter; {@code null} for none
	 * @param eventTypes bounds the {@code event.type} tag
	 */
	public BusMetrics(MeterRegistry registry, @Nullable String appKey, EventTypeTags eventTypes) {
		this(registry, appKey, eventTypes, true);
	}

	/**
	 * @param handlerTimer whether to time handler calls ({@link #HANDLED}); {@code false} when
	 * {@link BusObservations} time them (their {@code resquebus.handle} observation gives a timer),
	 * so that no handler call is timed twice
	 */
	public BusMetrics(MeterRegistry registry, @Nullable String appKey, EventTypeTags eventTypes,
			boolean handlerTimer) {
		this.registry = registry;
		this.app = (appKey != null && !appKey.isEmpty()) ? appKey : EventTypeTags.NONE;
		this.eventTypes = eventTypes;
		this.handlerTimer = handlerTimer;
	}

	@Override
	public Publishing publishing(String eventType) {
		String type = this.eventTypes.tag(eventType);
		return new Publishing() {

			@Override
			public void published() {
				count(type, SUCCESS);
			}

			@Override
			public void failed(Throwable error) {
				count(type, FAILURE);
			}

		};
	}

	private void count(String eventType, String outcome) {
		Counter.builder(PUBLISHED)
			.description("Events published on the bus")
			.tags("app", this.app, "event.type", eventType, "outcome", outcome)
			.register(this.registry)
			.increment();
	}

	@Override
	public void driven(@Nullable String eventType, String queue) {
		Counter.builder(DRIVEN)
			.description("Jobs the driver pushed to subscriptions' queues")
			.tags("app", this.app, "queue", queue, "event.type", this.eventTypes.tag(eventType))
			.register(this.registry)
			.increment();
	}

	@Override
	public Handling handling(String queue, String subKey, Map<String, Object> event) {
		if (!this.handlerTimer) {
			return Handling.NONE;
		}
		Object type = event.get(BusAttributes.EVENT_TYPE);
		String eventType = this.eventTypes.tag((type != null) ? type.toString() : null);
		Timer.Sample sample = Timer.start(this.registry);
		return new Handling() {

			@Override
			public void succeeded() {
				stop(SUCCESS);
			}

			@Override
			public void failed(Throwable error) {
				stop(FAILURE);
			}

			private void stop(String outcome) {
				sample.stop(Timer.builder(HANDLED)
					.description("Handler calls and their duration")
					.tags("app", BusMetrics.this.app, "queue", queue, "subscription", subKey, "event.type",
							eventType, "outcome", outcome)
					.register(BusMetrics.this.registry));
			}

		};
	}

	@Override
	public void failed(String queue, @Nullable String eventType, Throwable error) {
		Counter.builder(FAILED)
			.description("Jobs sent to the failed list")
			.tags("app", this.app, "queue", queue, "event.type", this.eventTypes.tag(eventType), "exception",
					exceptionName(error))
			.register(this.registry)
			.increment();
	}

	@Override
	public void matchBudgetExceeded(String appKey, String subKey) {
		// No subscription tag: any app can write the registry, so its keys are not a bounded set.
		Counter.builder(MATCH_BUDGET_EXCEEDED)
			.description("Subscription matches over the match budget, counted as no match")
			.tags("app", this.app)
			.register(this.registry)
			.increment();
	}

	@Override
	public void retried(String queue, @Nullable String eventType, int attempt, Throwable error) {
		Counter.builder(RETRIED)
			.description("Failed jobs scheduled to run again")
			.tags("app", this.app, "queue", queue, "event.type", this.eventTypes.tag(eventType))
			.register(this.registry)
			.increment();
	}

	static String exceptionName(Throwable error) {
		String name = error.getClass().getSimpleName();
		return name.isEmpty() ? error.getClass().getName() : name;
	}

}
