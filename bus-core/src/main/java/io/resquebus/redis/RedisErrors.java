package io.resquebus.redis;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * The one place that tells which Redis failures a failover (Sentinel promoting a replica, a master
 * restarting) causes and which go away by themselves: worth retrying with a back-off, the same
 * command again (a publish with the same {@code bus_id}), never worth surfacing as lost work.
 * <ul>
 * <li>{@code READONLY}: the command reached a replica (an old master demoted, a stale address);</li>
 * <li>{@code NOREPLICAS}: the master refuses writes that no replica would receive
 * ({@code min-replicas-to-write}), e.g. an old master cut off from its replicas;</li>
 * <li>{@code UNBLOCKED}: a blocking command was ended because the server changed role;</li>
 * <li>{@code LOADING}: the server is still loading its data after a (re)start or a full resync;</li>
 * <li>{@code MASTERDOWN}: a replica serving stale-data-free reads lost its master;</li>
 * <li>{@code no-master}: Lettuce's Master/Replica connection knows no master yet (mid-failover);</li>
 * <li>connection failures and resets: the server went away or closed client connections, as
 * Sentinel makes a demoted master do.</li>
 * </ul>
 * Everything else (a script error, a wrong type, an out-of-memory refusal, refused credentials,
 * even when Lettuce reports them as a failed connection) is not retried here.
 */
public final class RedisErrors {

	/** Error codes Redis replies with while a failover is under way. */
	static final List<String> FAILOVER_CODES = List.of("READONLY", "NOREPLICAS", "UNBLOCKED", "LOADING",
			"MASTERDOWN");

	/** Lettuce's Master/Replica connection between a master's demotion and its successor's promotion. */
	static final String NO_MASTER = "Master is currently unknown";

	/** What Lettuce reports when a new connection's handshake failed before its connect step looked at it. */
	static final String LOST_HANDSHAKE = "RedisHandshakeHandler not registered";

	private RedisErrors() {
	}

	/**
	 * Why a failure is a passing one, or {@code null} when it is not: the Redis error code
	 * ({@code READONLY}...), {@code no-master} while Lettuce knows no master, or {@code connection}
	 * for a lost or refused connection. Looks through
	 * the causes, since Spring Data Redis and Lettuce wrap the reply.
	 */
	public static @Nullable String transientReason(@Nullable Throwable ex) {
		if (isRefusedCredentials(ex)) {
			// A connection refused for its credentials fails again: said at once, not retried away.
			return null;
		}
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			String code = failoverCode(t.getMessage());
			if (code != null) {
				return code;
			}
			if (t.getMessage() != null && t.getMessage().startsWith(NO_MASTER)) {
				return "no-master";
			}
			if (t instanceof RedisConnectionFailureException || t instanceof IOException
					|| isLettuceConnectionFailure(t)) {
				return "connection";
			}
		}
		return null;
	}

	/** Whether Redis refused the credentials or the user's rights ({@code WRONGPASS}, {@code NOAUTH}, {@code NOPERM}). */
	static boolean isRefusedCredentials(@Nullable Throwable ex) {
		return findCause(ex, (t) -> {
			String message = t.getMessage();
			return message != null
					&& (message.contains("WRONGPASS") || message.contains("NOAUTH") || message.contains("NOPERM"));
		}) != null;
	}

	/**
	 * Whether a new connection failed in its handshake without its reason: Lettuce's
	 * {@value #LOST_HANDSHAKE}, a race between the handshake's failure (a refused password, say) and
	 * the connect step. Nothing was sent, and trying again tells why.
	 */
	public static boolean isLostHandshake(@Nullable Throwable ex) {
		return findCause(ex, (t) -> t instanceof IllegalStateException && LOST_HANDSHAKE.equals(t.getMessage())) != null;
	}

	/** The first of the failure and its causes that matches, or {@code null}. */
	static @Nullable Throwable findCause(@Nullable Throwable ex, Predicate<Throwable> test) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (test.test(t)) {
				return t;
			}
		}
		return null;
	}

	/** Whether the failure is a passing one (see {@link #transientReason}). */
	public static boolean isTransient(@Nullable Throwable ex) {
		return transientReason(ex) != null;
	}

	/** The failover error code a Redis error reply starts with (inside a script's error too), or {@code null}. */
	static @Nullable String failoverCode(@Nullable String message) {
		if (message == null) {
			return null;
		}
		for (String code : FAILOVER_CODES) {
			if (message.startsWith(code + " ") || message.equals(code) || message.startsWith("-" + code + " ")) {
				return code;
			}
		}
		return null;
	}

	/** Lettuce's connection failures, known by name so that this class loads without Lettuce. */
	private static boolean isLettuceConnectionFailure(Throwable t) {
		String type = t.getClass().getName();
		if (type.equals("io.lettuce.core.RedisConnectionException")) {
			return true;
		}
		String message = t.getMessage();
		// Lettuce fails commands pending on a connection that closed with a plain RedisException.
		return type.equals("io.lettuce.core.RedisException") && message != null
				&& (message.startsWith("Connection closed") || message.startsWith("Connection disconnected")
						|| message.startsWith("Currently not connected"));
	}

}
