package io.resquebus.autoconfigure.outbox;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the outbox stores for a publish in a transaction: the events exactly as they go to Redis,
 * already encoded (so a resend carries the same {@code bus_id} and published-at time), or one
 * delayed event with its due time. Modulith serializes it into its publication table.
 *
 * @param jobs the {@code bus_incoming} jobs to push, empty for a delayed event
 * @param due the epoch second a delayed event is due, 0 for none
 * @param delayed the delayed event as JSON ({@code WireCodec#eventJson}), {@code null} for none
 * @param what the events, for messages
 */
public record BusOutboxEvent(List<String> jobs, long due, @Nullable String delayed, String what) {

	static BusOutboxEvent send(List<String> jobs, String what) {
		return new BusOutboxEvent(List.copyOf(jobs), 0, null, what);
	}

	static BusOutboxEvent schedule(long due, String delayed, String what) {
		return new BusOutboxEvent(List.of(), due, delayed, what);
	}

}
