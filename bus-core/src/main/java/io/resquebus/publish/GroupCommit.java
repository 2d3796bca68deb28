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
import org.springframework.lang.Contract;

/**
 * Shares round trips between asynchronous publishes, of one thread or many. Up to
 * {@link #MAX_IN_FLIGHT} sends are pipelined on the shared connection, each sent at once by its caller, so no caller
 * waits for another's reply to be sent; beyond that, jobs wait and leave together, as one send,
 * when a reply frees a slot (group commit). A send is all or none, so every job in it succeeds or
 * fails together; each caller's future completes only after the reply to the send holding its
 * jobs. A job still waiting when its caller's timeout has passed is never sent.
 * <p>
 * Jobs of one thread leave in the order it submitted them: a caller sends its own jobs only when
 * nothing waits and no grouped send is being written; otherwise they wait, and waiting jobs are
 * written by one sender thread, in order, never from the client's I/O thread (a write from there
 * would overtake writes other threads queued to it). The lock only guards the bookkeeping; no
 * write happens while it is held.
 */
final class GroupCommit {

	/** Sends pipelined at once before jobs wait to be grouped. */
	static final int MAX_IN_FLIGHT = 8;

	/** Most jobs one grouped send carries (a single submit may carry more). */
	static final int MAX_GROUP = 1000;

	private final BiFunction<List<String>, Duration, CompletableFuture<?>> send;

	private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

	/** Writes grouped sends: one thread, gone when idle. */
	private final Executor sender = sender();

	private int inFlight;

	/** Whether the sender task is scheduled or running; while it is, callers do not send themselves. */
	private boolean senderActive;

	/**
	 * @param send sends jobs in one all-or-none step, failing on its own after the given timeout
	 */
	GroupCommit(BiFunction<List<String>, Duration, CompletableFuture<?>> send) {
		this.send = send;
	}

	/** Sends the jobs, alone or with others; the future completes with the reply to their send. */
	CompletableFuture<Void> submit(List<String> jobs, Duration timeout) {
		Pending pending = new Pending(jobs, System.nanoTime() + timeout.toNanos(), timeout, new CompletableFuture<>());
		boolean direct;
		synchronized (this) {
			direct = this.waiting.isEmpty() && !this.senderActive && this.inFlight < MAX_IN_FLIGHT;
			if (direct) {
				this.inFlight++;
			}
			else {
				this.waiting.add(pending);
				scheduleSender();
			}
		}
		if (direct) {
			write(List.of(pending), jobs, timeout, timeout);
		}
		return pending.future;
	}

	/** Called holding the lock: starts the sender if jobs wait and a slot is free. */
	private void scheduleSender() {
		if (!this.senderActive && !this.waiting.isEmpty() && this.inFlight < MAX_IN_FLIGHT) {
			this.senderActive = true;
			this.sender.execute(this::sendWaiting);
		}
	}

	/** The sender task: writes waiting jobs in groups, in order, while slots are free. */
	private void sendWaiting() {
		while (true) {
			List<Pending> group = new ArrayList<>();
			List<Pending> expired = new ArrayList<>();
			List<String> jobs = new ArrayList<>();
			long deadline = Long.MAX_VALUE;
			Duration timeout = Duration.ZERO;
			long now = System.nanoTime();
			synchronized (this) {
				if (this.waiting.isEmpty() || this.inFlight >= MAX_IN_FLIGHT) {
					this.senderActive = false;
					return;
				}
				while (!this.waiting.isEmpty()
						&& (group.isEmpty() || jobs.size() + this.waiting.peek().jobs.size() <= MAX_GROUP)) {
					Pending next = this.waiting.poll();
					if (next.deadline - now <= 0) {
						expired.add(next);
						continue;
					}
					group.add(next);
					jobs.addAll(next.jobs);
					if (next.deadline < deadline) {
						deadline = next.deadline;
						timeout = next.timeout;
					}
				}
				if (!group.isEmpty()) {
					this.inFlight++;
				}
			}
			expired.forEach((pending) -> pending.future
				.completeExceptionally(new RedisCallTimeoutException(pending.timeout, null)));
			if (!group.isEmpty()) {
				write(group, jobs, Duration.ofNanos(deadline - now), timeout);
			}
		}
	}

	private void write(List<Pending> group, List<String> jobs, Duration remaining, Duration timeout) {
		CompletableFuture<?> reply;
		try {
			reply = this.send.apply(jobs, remaining);
		}
		catch (RuntimeException ex) {
			reply = CompletableFuture.failedFuture(ex);
		}
		reply.whenComplete((result, failure) -> replied(group, failure, timeout));
	}

	private void replied(List<Pending> group, @Nullable Throwable failure, Duration timeout) {
		synchronized (this) {
			this.inFlight--;
			scheduleSender();
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

	/** The failure itself, without the {@link CompletionException} of a dependent stage. */
	@Contract("!null -> !null")
	static @Nullable Throwable unwrap(@Nullable Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
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

	private record Pending(List<String> jobs, long deadline, Duration timeout, CompletableFuture<Void> future) {
	}

}
