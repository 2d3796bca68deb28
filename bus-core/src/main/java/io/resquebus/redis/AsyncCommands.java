package io.resquebus.redis;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * Scripts and Resque's push through Lettuce's asynchronous API, so that the caller waits at most a given time
 * whatever the client's own command timeout is, and a command that timed out is cancelled.
 * Lettuce never writes a cancelled command: one still queued while the client is disconnected
 * is dropped instead of being sent on reconnect. A command already written cannot be taken back.
 * Kept apart from {@link BusRedis} so that Lettuce classes load only when Lettuce is the client.
 */
final class AsyncCommands {

	private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

	private AsyncCommands() {
	}

	/** Whether the native connection is Lettuce's, which {@link #run} can use. */
	static boolean supports(@Nullable Object nativeConnection) {
		return nativeConnection instanceof RedisClusterAsyncCommands<?, ?>;
	}

	@SuppressWarnings("unchecked")
	static @Nullable Object run(Object nativeConnection, BusScript script, byte[][] keys, byte[][] args,
			Duration timeout) {
		RedisClusterAsyncCommands<byte[], byte[]> async = (RedisClusterAsyncCommands<byte[], byte[]>) nativeConnection;
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			return await(dispatch(() -> async.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args)), deadline,
					timeout);
		}
		catch (DataAccessException ex) {
			if (!BusRedis.isNoScript(ex)) {
				throw ex;
			}
			if (deadline - System.nanoTime() <= 0) {
				// the caller is told it timed out: the script's source must not be sent after that
				throw new RedisCallTimeoutException(timeout, ex);
			}
			return await(dispatch(() -> async.eval(script.source(), ScriptOutputType.MULTI, keys, args)), deadline,
					timeout);
		}
	}

	/**
	 * Sends a command, translating what Lettuce throws at once instead of failing the future (a
	 * Master/Replica connection that knows no master mid-failover) as it translates the rest.
	 */
	private static <T> RedisFuture<T> dispatch(Supplier<RedisFuture<T>> command) {
		try {
			return command.get();
		}
		catch (DataAccessException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw translate(ex);
		}
	}

	/**
	 * Sends the script without waiting: the returned future completes with the reply, or with the
	 * translated failure, or with a {@link RedisCallTimeoutException} when no reply came within
	 * {@code timeout}, the command then being cancelled. It completes in the client's I/O thread.
	 */
	@SuppressWarnings("unchecked")
	static CompletableFuture<@Nullable Object> runAsync(Object nativeConnection, BusScript script, byte[][] keys,
			byte[][] args, Duration timeout) {
		RedisClusterAsyncCommands<byte[], byte[]> async = (RedisClusterAsyncCommands<byte[], byte[]>) nativeConnection;
		CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
		// The command now running: the script by its SHA1, then by its source after NOSCRIPT.
		RedisFuture<Object> first = dispatch(() -> async.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args));
		AtomicReference<RedisFuture<Object>> current = new AtomicReference<>(first);
		first.whenComplete((reply, failure) -> {
			if (failure != null && BusRedis.isNoScript(failure)) {
				// Under the lock the timeout cannot pass between the check and the send: once the
				// caller was told the publish timed out, the script's source is never sent.
				RedisFuture<Object> resent;
				synchronized (current) {
					if (result.isDone()) {
						return;
					}
					try {
						resent = dispatch(() -> async.eval(script.source(), ScriptOutputType.MULTI, keys, args));
					}
					catch (DataAccessException ex) {
						result.completeExceptionally(ex);
						return;
					}
					current.set(resent);
				}
				resent.whenComplete((again, error) -> complete(result, again, error));
			}
			else {
				complete(result, reply, failure);
			}
		});
		CommandTimeouts.watch(result, System.nanoTime() + timeout.toNanos(), () -> {
			// Failed first, so the cancellation's own completion is ignored; never written once cancelled.
			synchronized (current) {
				RedisFuture<Object> running = current.get();
				if (result.completeExceptionally(new RedisCallTimeoutException(timeout, null)) && running != null) {
					running.cancel(true);
				}
			}
		});
		return result;
	}

	/**
	 * Pushes jobs as {@code Resque.push} does, without waiting: {@code SADD} of the queue's name to
	 * the queues set, then one {@code RPUSH} of every job, pipelined (so all the jobs or none are
	 * stored, none passing through a script). The future completes with the queue's length after the
	 * push, or fails with the translated failure of either command, or with a
	 * {@link RedisCallTimeoutException} when no reply came within {@code timeout}, both commands then
	 * being cancelled (the push first: a registration alone is harmless). It completes in the
	 * client's I/O thread.
	 */
	@SuppressWarnings("unchecked")
	static CompletableFuture<Long> pushAsync(Object nativeConnection, byte[] queues, byte[] name, byte[] queue,
			byte[][] jobs, Duration timeout) {
		RedisClusterAsyncCommands<byte[], byte[]> async = (RedisClusterAsyncCommands<byte[], byte[]>) nativeConnection;
		RedisFuture<Long> registered = dispatch(() -> async.sadd(queues, name));
		RedisFuture<Long> pushed;
		try {
			pushed = dispatch(() -> async.rpush(queue, jobs));
		}
		catch (DataAccessException ex) {
			registered.cancel(true);
			throw ex;
		}
		CompletableFuture<Long> result = new CompletableFuture<>();
		pushed.whenComplete((length, failure) -> registered.whenComplete((ignored, unregistered) -> {
			Throwable first = (unregistered != null) ? unregistered : failure;
			if (first == null) {
				result.complete(length);
			}
			else {
				completeExceptionally(result, first);
			}
		}));
		CommandTimeouts.watch(result, System.nanoTime() + timeout.toNanos(), () -> {
			if (result.completeExceptionally(new RedisCallTimeoutException(timeout, null))) {
				pushed.cancel(true);
				registered.cancel(true);
			}
		});
		return result;
	}

	private static void complete(CompletableFuture<@Nullable Object> future, @Nullable Object reply,
			@Nullable Throwable failure) {
		if (failure == null) {
			future.complete(reply);
		}
		else {
			completeExceptionally(future, failure);
		}
	}

	/** Fails the future with a {@link DataAccessException}, translating what Lettuce failed with. */
	private static void completeExceptionally(CompletableFuture<?> future, Throwable failure) {
		if (failure instanceof DataAccessException) {
			future.completeExceptionally(failure);
		}
		else {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			future.completeExceptionally(translate(cause));
		}
	}

	private static @Nullable Object await(RedisFuture<Object> future, long deadline, Duration timeout) {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			if (!future.cancel(true)) {
				return replyOf(future); // the reply arrived just now
			}
			throw new RedisCallTimeoutException(timeout, ex);
		}
		catch (InterruptedException ex) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while waiting for Redis; the command was cancelled", ex);
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause());
		}
	}

	private static @Nullable Object replyOf(RedisFuture<Object> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while reading a reply", ex);
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause());
		}
		catch (CancellationException ex) {
			throw new RedisSystemException("Command cancelled", ex);
		}
	}

	private static DataAccessException translate(@Nullable Throwable cause) {
		DataAccessException translated = (cause instanceof Exception ex) ? EXCEPTIONS.convert(ex) : null;
		return (translated != null) ? translated
				: new RedisSystemException("Redis command failed: " + ((cause != null) ? cause.getMessage() : ""),
						cause);
	}

}
