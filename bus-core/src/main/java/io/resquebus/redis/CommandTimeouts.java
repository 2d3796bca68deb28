package io.resquebus.redis;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Times out asynchronous commands with one coarse clock: a daemon thread that looks every
 * {@value #TICK_MILLIS} ms while commands are watched, and ends after a second without any. A
 * precise timer per command would wake a thread for nearly every publish (the cost that matters
 * when one thread publishes a few thousand events a second); a timeout fires at most one tick late.
 */
final class CommandTimeouts {

	static final long TICK_MILLIS = 10;

	private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();

	private static final AtomicBoolean ticking = new AtomicBoolean();

	private CommandTimeouts() {
	}

	/** Runs {@code onTimeout} once {@code deadline} ({@link System#nanoTime()}) passed, unless done. */
	static void watch(CompletableFuture<?> done, long deadline, Runnable onTimeout) {
		watched.add(new Watched(done, deadline, onTimeout));
		if (ticking.compareAndSet(false, true)) {
			Thread thread = new Thread(CommandTimeouts::tick, "resquebus-redis-timeouts");
			thread.setDaemon(true);
			thread.start();
		}
	}

	private static void tick() {
		long idleSince = System.nanoTime();
		while (true) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
			long now = System.nanoTime();
			for (Iterator<Watched> it = watched.iterator(); it.hasNext();) {
				Watched entry = it.next();
				if (entry.done.isDone()) {
					it.remove();
				}
				else if (now - entry.deadline >= 0) {
					it.remove();
					entry.onTimeout.run();
				}
			}
			if (!watched.isEmpty()) {
				idleSince = now;
			}
			else if (now - idleSince > IDLE_NANOS) {
				ticking.set(false);
				// A command watched just now, after the check, must not go unwatched.
				if (watched.isEmpty() || !ticking.compareAndSet(false, true)) {
					return;
				}
			}
		}
	}

	private record Watched(CompletableFuture<?> done, long deadline, Runnable onTimeout) {
	}

}
