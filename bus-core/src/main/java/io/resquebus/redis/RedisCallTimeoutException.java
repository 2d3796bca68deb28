package io.resquebus.redis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.QueryTimeoutException;

/**
 * Redis did not reply to a bounded call within its timeout, and the call was cancelled: if the
 * command was still waiting in the client (Redis unreachable, the client reconnecting) it is never
 * sent; if it had already been written to Redis, Redis may still run it.
 */
public class RedisCallTimeoutException extends QueryTimeoutException {

	private final Duration timeout;

	public RedisCallTimeoutException(Duration timeout, @Nullable Throwable cause) {
		super("No reply from Redis within " + timeout.toMillis() + " ms; the command was cancelled", cause);
		this.timeout = timeout;
	}

	/** The time the caller was willing to wait. */
	public Duration timeout() {
		return this.timeout;
	}

}
