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

	@Override
	void close();

}
