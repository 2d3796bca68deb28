package io.resquebus.publish;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Redis did not acknowledge a publish within the publish timeout (Redis down, unreachable or too
 * slow), so the publisher stopped waiting and cancelled the command. Unlike other
 * {@link BusPublishException}s the outcome is not certain: a command still queued in the client
 * when the timeout struck (the usual case while Redis is down) is never sent, but one already
 * written to Redis may still run (Redis slow or paused: then it usually does). To retry without
 * risking a second event, publish again with the same {@link #busId()} through
 * {@link BusOperations#publish(String, java.util.Map, String)}: subscribers see the same
 * {@code bus_id} twice at most and can drop the repeat.
 */
public class BusPublishTimeoutException extends BusPublishException {

	private final Duration timeout;

	private final List<String> busIds;

	public BusPublishTimeoutException(String message, Duration timeout, Throwable cause) {
		this(message, timeout, cause, List.of());
	}

	/**
	 * @param busIds the {@code bus_id}s of the events the publish tried to send, in order
	 */
	public BusPublishTimeoutException(String message, Duration timeout, Throwable cause,
			List<String> busIds) {
		super(message, cause);
		this.timeout = timeout;
		this.busIds = List.copyOf(busIds);
	}

	/** How long the publisher waited. */
	public Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * The {@code bus_id} of the event the publish tried to send (the first, for a batch), to
	 * publish again under; {@code null} if the exception does not know it.
	 */
	public @Nullable String busId() {
		return this.busIds.isEmpty() ? null : this.busIds.get(0);
	}

	/** The {@code bus_id}s of every event the publish tried to send, in order (a batch has several). */
	public List<String> busIds() {
		return this.busIds;
	}

	/** The same failure, naming the events it concerned. */
	BusPublishTimeoutException withBusIds(List<String> busIds) {
		BusPublishTimeoutException named = new BusPublishTimeoutException(String.valueOf(getMessage()), this.timeout,
				Objects.requireNonNullElse(getCause(), this), busIds);
		named.setStackTrace(getStackTrace());
		return named;
	}

}
