package io.resquebus.publish;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import io.resquebus.redis.RedisCallTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Shares round trips between concurrent and asynchronous publishes. Up to {@link #MAX_IN_FLIGHT}
 * sends are pipelined on the shared connection, each sent at once, so no caller waits for
 * another's reply to be sent; beyond that, jobs wait and leave together, as one send, when a reply
 * frees a slot (group commit). A send is all or none, so every job in it succeeds or fails
 * together; each caller's future completes only after the reply to the send holding its jobs.
 * Jobs leave in the order they were submitted: every send is written under one lock, and never
 * from the client's I/O thread. A job still waiting when its caller's timeout has
 * passed is never sent.
 */
final class GroupCommit {

	/** Sends pipelined at once before jobs wait to be grouped. */
	static final int MAX_IN_FLIGHT = 8;

	/** Most jobs one grouped send carries (a single submit may carry more). */
	static final int MAX_GROUP = 1000;

	private final BiFunction<List<String>, Duration, CompletableFuture<?>> send;

	private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

	private int inFlight;

	/** Sends grouped jobs and finishes sends that completed at once: one thread, gone when idle. */
	private final Executor sender = sender();

	/**
	 * @param sender sends jobs in one all-or-none step, failing on its own after the given timeout
	 */
	GroupCommit(BiFunction<List<String>, Duration, CompletableFuture<?>> sender) {
		this.send = sender;
	}

	/** Sends the jobs, alone or with others; the future completes with the reply to their send. */
	CompletableFuture<Void> submit(List<String> jobs, Duration timeout) {
		Pending pending = new Pending(jobs, System.nanoTime() + timeout.toNanos(), timeout, new CompletableFuture<>());
		synchronized (this) {
			this.waiting.add(pending);
			sendWaiting();
		}
		return pending.future;
	}

	private synchronized void sendWaitingNow() {
		sendWaiting();
	}

	/** Sends what waits while a slot is free; called holding the lock, so sends keep their order. */
	private void sendWaiting() {
		while (this.inFlight < MAX_IN_FLIGHT && !this.waiting.isEmpty()) {
			List<Pending> group = new ArrayList<>();
			List<String> jobs = new ArrayList<>();
			long deadline = Long.MAX_VALUE;
			Duration timeout = Duration.ZERO;
			long now = System.nanoTime();
			while (!this.waiting.isEmpty()
					&& (group.isEmpty() || jobs.size() + this.waiting.peek().jobs.size() <= MAX_GROUP)) {
				Pending next = this.waiting.poll();
				if (next.deadline - now <= 0) {
					expire(next);
					continue;
				}
				group.add(next);
				jobs.addAll(next.jobs);
				if (next.deadline < deadline) {
					deadline = next.deadline;
					timeout = next.timeout;
				}
			}
			if (group.isEmpty()) {
				return;
			}
			this.inFlight++;
			send(group, jobs, Duration.ofNanos(deadline - now), timeout);
		}
	}

	private void send(List<Pending> group, List<String> jobs, Duration remaining, Duration timeout) {
		CompletableFuture<?> reply;
		try {
			reply = this.send.apply(jobs, remaining);
		}
		catch (RuntimeException ex) {
			reply = CompletableFuture.failedFuture(ex);
		}
		reply.whenComplete((result, failure) -> {
			if (Thread.holdsLock(this)) {
				// Completed in this thread while sending: finish outside the lock, without recursion.
				this.sender.execute(() -> replied(group, failure, timeout));
			}
			else {
				replied(group, failure, timeout);
			}
		});
	}

	private void replied(List<Pending> group, @Nullable Throwable failure, Duration timeout) {
		boolean more;
		synchronized (this) {
			this.inFlight--;
			more = !this.waiting.isEmpty();
		}
		if (more) {
			// Not from the client's I/O thread: a write from there would overtake writes other
			// threads queued to it, and jobs would be stored out of order.
			this.sender.execute(this::sendWaitingNow);
		}
		Throwable cause = unwrap(failure);
		for (Pending pending : group) {
			if (cause == null) {
				pending.future.complete(null);
			}
			else if (cause instanceof RedisCallTimeoutException && !timeout.equals(pending.timeout)) {
				pending.future.completeExceptionally(new RedisCallTimeoutException(pending.timeout, cause));
			}
			else {
				pending.future.completeExceptionally(cause);
			}
		}
	}

	private void expire(Pending pending) {
		// Completed from the sender thread: callbacks must not run while the lock is held.
		this.sender.execute(
				() -> pending.future.completeExceptionally(new RedisCallTimeoutException(pending.timeout, null)));
	}

	private static Executor sender() {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, "resquebus-publish");
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/** The failure itself, without the {@link CompletionException} of a dependent stage. */
	static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	private record Pending(List<String> jobs, long deadline, Duration timeout, CompletableFuture<Void> future) {
	}

}
