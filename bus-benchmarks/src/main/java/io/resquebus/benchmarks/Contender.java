package io.resquebus.benchmarks;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * One way of moving events between apps over Redis: publishes {@link BenchEvent}s of type
 * {@link BenchEvent#TYPE} and runs consumer apps, each subscribed to that type, whose subscriber
 * reports to {@link Probe}.
 */
interface Contender extends AutoCloseable {

	String name();

	/** Makes {@code apps} consumer apps run (only grows). */
	void scaleTo(int apps) throws Exception;

	/** Publishes one event and returns once Redis stored it. */
	void publish(BenchEvent event);

	/** Publishes events in one round trip where the contender can. */
	void publishAll(List<BenchEvent> events);

	/** Publishes without waiting; {@code null} when the contender has no asynchronous publish. */
	@Nullable CompletableFuture<?> publishAsync(BenchEvent event);

	/** Whether {@link #noise(int)} is meaningful: the contender routes by a subscription registry. */
	boolean routesByRegistry();

	/** Puts {@code subscriptions} subscriptions to other event types into the registry (0: none). */
	void noise(int subscriptions);

	/**
	 * How many of the {@code requested} deliveries an end-to-end run of this contender makes: a slow
	 * contender may make fewer (its figures are rates), so the default runs of the others are long.
	 */
	default int endToEndDeliveries(int requested) {
		return requested;
	}

	@Override
	void close();

}
