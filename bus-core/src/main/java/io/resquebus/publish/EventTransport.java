package io.resquebus.publish;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link BusTemplate} sends the events it built: one implementation per local mode.
 * {@link QueuedTransport} (the default) pushes them onto {@code bus_incoming} for a driver;
 * {@code io.resquebus.driver.StandaloneTransport} fans them out itself; {@link InlineTransport}
 * runs this app's handlers at once, without Redis.
 */
public interface EventTransport {

	/**
	 * Sends published events, all or none.
	 * @param jobs {@code QueueBus::Worker} jobs as a publisher pushes them onto {@code bus_incoming}:
	 * proxy {@code QueueBus::Driver}, or {@code QueueBus::Publisher} for a delayed event already due
	 * @param what the events, for messages
	 * @throws BusPublishException if Redis did not take them
	 * @throws BusPublishTimeoutException if Redis did not answer within the publish timeout
	 */
	void send(List<String> jobs, String what);

	/**
	 * Sends published events, all or none, without waiting for Redis where the transport can: the
	 * future completes once Redis stored them, or exceptionally with what {@link #send} would
	 * throw. By default the events are sent in the calling thread.
	 */
	default CompletableFuture<Void> sendAsync(List<String> jobs, String what) {
		return synchronously(() -> send(jobs, what));
	}

	/** Runs a send in the calling thread; a future of its outcome. */
	static CompletableFuture<Void> synchronously(Runnable send) {
		try {
			send.run();
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Sends a delayed event, to be delivered at the given epoch second.
	 * @param due the epoch second, in the future
	 * @param delayed the event as {@link io.resquebus.wire.Events#delayed} builds it
	 * @param what the event, for messages
	 * @throws BusPublishException if Redis did not take it
	 * @throws BusPublishTimeoutException if Redis did not answer within the publish timeout
	 */
	void schedule(long due, Map<String, Object> delayed, String what);

	/**
	 * Whether {@link #send} runs this app's handlers itself, in which case the publisher runs no
	 * synchronous subscribers of its own.
	 */
	default boolean runsLocalHandlers() {
		return false;
	}

}
