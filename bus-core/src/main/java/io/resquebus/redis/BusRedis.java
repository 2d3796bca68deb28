package io.resquebus.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * The bus's access to Redis through Spring Data Redis. Short calls borrow a connection per call
 * (with Lettuce: the shared, multiplexed one); runners hold a {@link #openConnection() connection}
 * of their own for blocking fetches.
 */
public final class BusRedis {

	private static final boolean LETTUCE = ClassUtils.isPresent("io.lettuce.core.RedisFuture",
			BusRedis.class.getClassLoader());

	private static final Logger logger = LoggerFactory.getLogger(BusRedis.class);

	/** Least time between two resets of the shared connection behind Sentinel. */
	private static final long RESET_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final RedisConnectionFactory connectionFactory;

	private final AtomicLong lastReset = new AtomicLong(System.nanoTime() - RESET_INTERVAL_NANOS);

	public BusRedis(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Told of a failed call, so that behind Sentinel a connection that still points at a replaced
	 * master moves on: Lettuce refreshes a Master/Replica topology at most every 5 s, so a failover
	 * error ({@code READONLY}, {@code NOREPLICAS}...) or a timeout (a hung master) resets the shared
	 * connection, at most once a second; the next call connects to the master Sentinel names now.
	 */
	public void failed(Throwable ex) {
		if (!(this.connectionFactory instanceof LettuceConnectionFactory lettuce)
				|| lettuce.getSentinelConfiguration() == null) {
			return;
		}
		String reason = RedisErrors.transientReason(ex);
		boolean stale = (reason != null && !reason.equals("connection") && !reason.equals("LOADING"))
				|| ex instanceof QueryTimeoutException;
		long now = System.nanoTime();
		long last = this.lastReset.get();
		if (stale && now - last >= RESET_INTERVAL_NANOS && this.lastReset.compareAndSet(last, now)) {
			logger.info("Redis behind Sentinel failed ({}): reconnecting to the master Sentinel names now",
					(reason != null) ? reason : "timeout");
			lettuce.resetConnection();
		}
	}

	public RedisConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * Where Redis is, for messages: {@code host:port} when the factory tells, a cluster's seed nodes,
	 * the master's name and the Sentinels behind Sentinel, else the factory's class.
	 */
	public String describe() {
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
			if (lettuce.isClusterAware() && lettuce.getClusterConfiguration() != null) {
				return "cluster " + lettuce.getClusterConfiguration().getClusterNodes();
			}
			RedisSentinelConfiguration sentinel = lettuce.getSentinelConfiguration();
			if (sentinel != null && sentinel.getMaster() != null) {
				return "Sentinel master '" + sentinel.getMaster().getName() + "' (sentinels "
						+ sentinel.getSentinels().stream().map(RedisNode::asString).toList() + ")";
			}
			return lettuce.getHostName() + ":" + lettuce.getPort();
		}
		return this.connectionFactory.getClass().getSimpleName();
	}

	/** How long the client waits for a reply (Lettuce's command timeout), when the factory tells. */
	public @Nullable Duration commandTimeout() {
		if (this.connectionFactory instanceof LettuceConnectionFactory lettuce) {
			return lettuce.getClientConfiguration().getCommandTimeout();
		}
		return null;
	}

	/**
	 * Why a call to Redis failed, for messages: {@code authentication failed (WRONGPASS ...)} when
	 * Redis refused the credentials, which clients report as a mere "Unable to connect"; else the
	 * exception and its root cause.
	 */
	public static String explain(Throwable ex) {
		String refusal = authenticationFailure(ex);
		if (refusal != null) {
			return "authentication failed (" + refusal + "); check the Redis username and password";
		}
		if (RedisErrors.isLostHandshake(ex)) {
			return "the connection closed during its handshake with Redis, which did not say why (Lettuce: "
					+ RedisErrors.LOST_HANDSHAKE + "); a refused username or password is the usual reason";
		}
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == ex || ex instanceof RedisCallTimeoutException) ? String.valueOf(ex.getMessage())
				: ex.getMessage() + "; cause: " + root;
	}

	/** Redis's refusal of the credentials ({@code WRONGPASS}, {@code NOAUTH}) among the causes, if any. */
	public static @Nullable String authenticationFailure(Throwable ex) {
		Throwable refusal = RedisErrors.findCause(ex, (t) -> {
			String message = t.getMessage();
			return message != null && (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
					|| (message.startsWith("ERR AUTH") && message.contains("without any password")));
		});
		return (refusal != null) ? refusal.getMessage() : null;
	}

	/**
	 * Whether commands of concurrent callers share one connection and pipeline on it (Lettuce with
	 * its shared native connection, the default), so that {@link #runAsync} sends without waiting.
	 */
	public boolean pipelines() {
		return LETTUCE && this.connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getShareNativeConnection();
	}

	/**
	 * Asks the server ({@code INFO server}) and fails if it is older than the bus needs.
	 * @throws UnsupportedRedisVersionException naming the server and its version
	 */
	public void requireSupportedServer() {
		Properties info = execute((connection) -> connection.serverCommands().info("server"));
		if (info != null) {
			RedisServerVersion.require(info, describe());
		}
	}

	/**
	 * Whether this bus runs on a Redis Cluster, where every script and multi-key command must stay
	 * in one hash slot (see {@link HashSlots}).
	 */
	public boolean cluster() {
		return this.connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware();
	}

	/** Runs the callback on a connection that is closed afterwards. */
	public <T> T execute(Function<RedisConnection, T> callback) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return callback.apply(connection);
		}
	}

	/** A connection the caller owns and must close; blocking commands on it do not block others. */
	public RedisConnection openConnection() {
		return this.connectionFactory.getConnection();
	}

	/** Runs a script on a borrowed connection. */
	public List<@Nullable Object> run(BusScript script, List<String> keys, List<String> args) {
		return execute((connection) -> run(connection, script, keys, args));
	}

	/**
	 * Runs a script on a borrowed connection, waiting at most {@code timeout} for the reply whatever
	 * the client's own command timeout: with Lettuce through its asynchronous API, the command being
	 * cancelled on timeout, so that one still queued in the client (Redis unreachable, the client
	 * reconnecting) is never sent; one already written to Redis may still run. Other clients wait
	 * as long as their own timeout says.
	 * @throws RedisCallTimeoutException if no reply came in time
	 */
	public List<@Nullable Object> run(BusScript script, List<String> keys, List<String> args, Duration timeout) {
		requirePositive(timeout);
		return execute((connection) -> {
			HashSlots.requireOneSlot(connection, script.toString(), keys);
			Object nativeConnection = connection.getNativeConnection();
			if (!LETTUCE || !AsyncCommands.supports(nativeConnection)) {
				return run(connection, script, keys, args);
			}
			return toList(AsyncCommands.run(nativeConnection, script, keysAndArgs(keys, List.of()),
					keysAndArgs(args, List.of()), timeout));
		});
	}

	/**
	 * Sends a script without waiting for its reply, so that callers on the shared connection
	 * pipeline (when it {@link #pipelines()}); the future completes as {@link #run(BusScript, List, List, Duration)} returns or
	 * throws, in the client's I/O thread. Otherwise the script runs in the calling thread and the
	 * future is already complete.
	 */
	public CompletableFuture<List<@Nullable Object>> runAsync(BusScript script, List<String> keys, List<String> args,
			Duration timeout) {
		requirePositive(timeout);
		try {
			if (!pipelines()) {
				return CompletableFuture.completedFuture(run(script, keys, args, timeout));
			}
			return execute((connection) -> {
				HashSlots.requireOneSlot(connection, script.toString(), keys);
				Object nativeConnection = connection.getNativeConnection();
				if (!AsyncCommands.supports(nativeConnection)) {
					return CompletableFuture.completedFuture(run(connection, script, keys, args));
				}
				return AsyncCommands.runAsync(nativeConnection, script, keysAndArgs(keys, List.of()),
						keysAndArgs(args, List.of()), timeout).thenApply(BusRedis::toList);
			});
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Pushes jobs onto a Resque queue as {@code Resque.push} does: the queue's name added to the
	 * queues set, then every job in one {@code RPUSH}, so that all or none are stored. With Lettuce
	 * the two commands are pipelined and the caller waits at most {@code timeout}, as
	 * {@link #run(BusScript, List, List, Duration)} does. Natively rather than by a script: a script
	 * would copy every job once more inside Redis.
	 * @param queues the queues set's key
	 * @param name the queue's name, as the set holds it
	 * @param queue the queue list's key
	 * @throws RedisCallTimeoutException if no reply came in time
	 */
	public void push(String queues, String name, String queue, List<String> jobs, Duration timeout) {
		requirePositive(timeout);
		execute((connection) -> {
			Object nativeConnection = connection.getNativeConnection();
			if (!LETTUCE || !AsyncCommands.supports(nativeConnection)) {
				connection.setCommands().sAdd(bytes(queues), bytes(name));
				return connection.listCommands().rPush(bytes(queue), values(jobs));
			}
			return join(AsyncCommands.pushAsync(nativeConnection, bytes(queues), bytes(name), bytes(queue), values(jobs),
					timeout));
		});
	}

	/**
	 * Sends {@link #push} without waiting, so that callers on the shared connection pipeline (when
	 * it {@link #pipelines()}); the future completes as {@link #push} returns or throws, in the
	 * client's I/O thread. Otherwise the push runs in the calling thread and the future is already
	 * complete.
	 */
	public CompletableFuture<?> pushAsync(String queues, String name, String queue, List<String> jobs,
			Duration timeout) {
		requirePositive(timeout);
		try {
			if (!pipelines()) {
				push(queues, name, queue, jobs, timeout);
				return CompletableFuture.completedFuture(null);
			}
			return execute((connection) -> AsyncCommands.pushAsync(connection.getNativeConnection(), bytes(queues),
					bytes(name), bytes(queue), values(jobs), timeout));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static byte[][] values(List<String> values) {
		byte[][] bytes = new byte[values.size()][];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = bytes(values.get(i));
		}
		return bytes;
	}

	/** The future's value once it completes, what it failed with thrown as is. */
	private static <T> T join(CompletableFuture<T> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw ex;
		}
	}

	private static void requirePositive(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("Timeout must be positive, was " + timeout);
		}
	}

	/**
	 * Runs a script by its SHA1, loading it on {@code NOSCRIPT} (after a Redis restart or on a new
	 * server). The result is a list: a script returning a scalar yields a one-element list.
	 */
	public static List<@Nullable Object> run(RedisConnection connection, BusScript script, List<String> keys,
			List<String> args) {
		HashSlots.requireOneSlot(connection, script.toString(), keys);
		return toList(eval(connection, script, keys.size(), keysAndArgs(keys, args)));
	}

	/**
	 * Runs a script whose arguments are given as bytes (e.g. jobs exactly as fetched) and returns
	 * its reply as Redis sent it: bulk strings stay {@code byte[]}.
	 */
	public static List<@Nullable Object> runBytes(RedisConnection connection, BusScript script, List<String> keys,
			List<byte[]> args) {
		HashSlots.requireOneSlot(connection, script.toString(), keys);
		byte[][] keysAndArgs = keysAndArgs(keys, List.of());
		byte[][] all = new byte[keysAndArgs.length + args.size()][];
		System.arraycopy(keysAndArgs, 0, all, 0, keysAndArgs.length);
		for (int i = 0; i < args.size(); i++) {
			all[keysAndArgs.length + i] = args.get(i);
		}
		Object result = eval(connection, script, keys.size(), all);
		List<@Nullable Object> list = new ArrayList<>();
		if (result instanceof List<?> items) {
			list.addAll(items);
		}
		else if (result != null) {
			list.add(result);
		}
		return list;
	}

	private static @Nullable Object eval(RedisConnection connection, BusScript script, int numKeys,
			byte[][] keysAndArgs) {
		try {
			return connection.scriptingCommands().evalSha(script.sha1(), ReturnType.MULTI, numKeys, keysAndArgs);
		}
		catch (DataAccessException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands().eval(script.source(), ReturnType.MULTI, numKeys, keysAndArgs);
		}
	}

	private static byte[][] keysAndArgs(List<String> keys, List<String> args) {
		byte[][] keysAndArgs = new byte[keys.size() + args.size()][];
		int i = 0;
		for (String key : keys) {
			keysAndArgs[i++] = bytes(key);
		}
		for (String arg : args) {
			keysAndArgs[i++] = bytes(arg);
		}
		return keysAndArgs;
	}

	static boolean isNoScript(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static List<@Nullable Object> toList(@Nullable Object result) {
		List<@Nullable Object> list = new ArrayList<>();
		if (result instanceof List<?> items) {
			for (Object item : items) {
				list.add((item instanceof byte[] bytes) ? string(bytes) : item);
			}
		}
		else if (result != null) {
			list.add((result instanceof byte[] bytes) ? string(bytes) : result);
		}
		return list;
	}

	public static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	public static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

}
