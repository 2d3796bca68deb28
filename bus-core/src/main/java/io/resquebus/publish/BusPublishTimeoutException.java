package io.resquebus.publish;

import java.time.Duration;

/**
 * Redis did not acknowledge a publish within the publish timeout (Redis down, unreachable or too
 * slow), so the publisher stopped waiting and cancelled the command. Unlike other
 * {@link BusPublishException}s the outcome is not certain: a command still queued in the client
 * when the timeout struck (the usual case while Redis is down) is never sent, but one already
 * written to Redis may still run. A caller that retries therefore publishes at least once, maybe
 * twice, which subscribers must tolerate as they do any redelivery.
 */
public class BusPublishTimeoutException extends BusPublishException {

	private final Duration timeout;

	public BusPublishTimeoutException(String message, Duration timeout, Throwable cause) {
		super(message, cause);
		this.timeout = timeout;
	}

	/** How long the publisher waited. */
	public Duration getTimeout() {
		return this.timeout;
	}

}
