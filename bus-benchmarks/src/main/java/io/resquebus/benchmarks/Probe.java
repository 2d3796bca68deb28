package io.resquebus.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where every contender's subscriber reports a delivery. Static because Jesque instantiates its
 * jobs by reflection; all contenders run in this one JVM, so {@link System#nanoTime()} stamps
 * taken at publish compare with the time of delivery.
 */
final class Probe {

	private static final AtomicLong delivered = new AtomicLong();

	private static final AtomicInteger latencyIndex = new AtomicInteger();

	private static volatile long expected = Long.MAX_VALUE;

	private static volatile long doneNanos;

	private static volatile CountDownLatch done = new CountDownLatch(1);

	private static volatile long @org.jspecify.annotations.Nullable [] latencies;

	private Probe() {
	}

	/** A subscriber got an event published at {@code stampNanos}. */
	static void delivered(long stampNanos) {
		long now = System.nanoTime();
		long[] recorded = latencies;
		if (recorded != null) {
			int i = latencyIndex.getAndIncrement();
			if (i < recorded.length) {
				recorded[i] = now - stampNanos;
			}
		}
		if (delivered.incrementAndGet() == expected) {
			doneNanos = now;
			done.countDown();
		}
	}

	/** Starts counting from zero towards {@code deliveries}, recording latencies when asked. */
	static void expect(long deliveries, boolean recordLatencies) {
		done = new CountDownLatch(1);
		latencyIndex.set(0);
		latencies = recordLatencies ? new long[(int) Math.min(deliveries, 10_000_000)] : null;
		delivered.set(0);
		expected = deliveries;
	}

	/** Waits for the expected deliveries; the {@link System#nanoTime()} of the last one, or -1. */
	static long await(Duration timeout) throws InterruptedException {
		return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? doneNanos : -1;
	}

	static long deliveredCount() {
		return delivered.get();
	}

	/** The recorded latencies in nanoseconds, sorted. */
	static long[] sortedLatencies() {
		long[] recorded = latencies;
		if (recorded == null) {
			return new long[0];
		}
		long[] copy = Arrays.copyOf(recorded, Math.min(latencyIndex.get(), recorded.length));
		Arrays.sort(copy);
		return copy;
	}

	static void stopRecording() {
		latencies = null;
		expected = Long.MAX_VALUE;
	}

}
