package io.resquebus.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.resquebus.benchmarks.Results.Figure;

/** The measurements, each on one contender, each recorded into {@link Results}. */
final class Scenarios {

	private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(120);

	/** How many asynchronous publishes may be outstanding at once. */
	private static final int ASYNC_WINDOW = 10_000;

	private final Options options;

	private final RedisInfo redis;

	private final Results results;

	private final AtomicLong seq = new AtomicLong();

	private boolean recording = true;

	Scenarios(Options options, RedisInfo redis, Results results) {
		this.options = options;
		this.redis = redis;
		this.results = results;
	}

	/** Off for warm-up runs, whose figures are thrown away. */
	void recording(boolean recording) {
		this.recording = recording;
	}

	static double load() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	/** The ways of publishing whose rate is measured. */
	enum PublishMode {

		ONE_THREAD("publish(), 1 thread"), EIGHT_THREADS("publish(), 8 threads"),
		BATCH("publishAll(100), 1 thread"), ASYNC("publishAsync(), 1 thread");

		final String figure;

		PublishMode(String figure) {
			this.figure = figure;
		}

	}

	/** One publish rate with nobody consuming, on an empty Redis. */
	void publishRate(Contender contender, PublishMode mode) throws InterruptedException {
		long nanos = (long) (this.options.publishSeconds() * 1e9);
		this.redis.flush();
		double rate = switch (mode) {
			case ONE_THREAD -> rate(1, nanos, () -> contender.publish(next()));
			case EIGHT_THREADS -> rate(8, nanos, () -> contender.publish(next()));
			case BATCH -> 100 * rate(1, nanos, () -> contender.publishAll(batch(100)));
			case ASYNC -> asyncRate(contender, nanos);
		};
		record(new Figure(mode.figure, "events/s", true), contender, rate);
		this.redis.flush();
	}

	/** Redis memory per event queued and not yet consumed. */
	void queuedBytes(Contender contender) {
		this.redis.flush();
		RedisInfo.Snapshot before = this.redis.snapshot();
		for (int i = 0; i < this.options.queuedEvents(); i += 100) {
			contender.publishAll(batch(100));
		}
		RedisInfo.Snapshot after = this.redis.snapshot();
		record(new Figure("Redis memory per queued event", "bytes", false), contender,
				(double) (after.usedMemory() - before.usedMemory()) / this.options.queuedEvents());
		this.redis.flush();
	}

	private List<BenchEvent> batch(int size) {
		List<BenchEvent> batch = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			batch.add(next());
		}
		return batch;
	}

	/** Events published in batches of 100 as fast as they go, until every app got every one. */
	void endToEnd(Contender contender, int apps, int events, String label, boolean record)
			throws InterruptedException {
		long deliveries = (long) events * apps;
		Probe.expect(deliveries, false);
		java.util.Map<String, Long> callsBefore = (record && this.options.commandStats()) ? this.redis.commandCalls()
				: null;
		RedisInfo.Snapshot before = this.redis.snapshot();
		long cpuBefore = processCpuNanos();
		java.util.Map<String, Long> threadsBefore = (record && this.options.commandStats()) ? threadCpu() : null;
		double load = load();
		long start = System.nanoTime();
		for (int i = 0; i < events; i += 100) {
			List<BenchEvent> batch = new ArrayList<>(100);
			for (int j = i; j < Math.min(events, i + 100); j++) {
				batch.add(next());
			}
			contender.publishAll(batch);
		}
		long end = Probe.await(DELIVERY_TIMEOUT);
		long cpuAfter = processCpuNanos();
		if (threadsBefore != null) {
			printThreads(contender, label, deliveries, threadsBefore, threadCpu(), cpuAfter - cpuBefore);
		}
		RedisInfo.Snapshot after = this.redis.snapshot();
		Probe.stopRecording();
		if (callsBefore != null) {
			printCommands(contender, label, deliveries, callsBefore, this.redis.commandCalls());
		}
		if (end < 0) {
			System.err.printf("%s: %s timed out with %d of %d deliveries%n", label, contender.name(),
					Probe.deliveredCount(), deliveries);
			drain();
		}
		if (!record) {
			return;
		}
		double seconds = (end < 0) ? Double.NaN : (end - start) / 1e9;
		if (label.startsWith("end to end")) {
			add(new Figure(label + ": events", "events/s", true), contender, events / seconds, load);
		}
		if (apps > 1 || !label.startsWith("end to end")) {
			add(new Figure(label + ": deliveries", "deliveries/s", true), contender, deliveries / seconds, load);
		}
		if (label.startsWith("end to end")) {
			add(new Figure(label + ": Redis commands per delivery", "commands", false), contender,
					(double) (after.commands() - before.commands()) / deliveries, load);
			add(new Figure(label + ": Redis CPU per delivery", "µs", false), contender,
					(after.cpuSeconds() - before.cpuSeconds()) * 1e6 / deliveries, load);
			add(new Figure(label + ": JVM CPU per delivery", "µs", false), contender,
					(cpuAfter - cpuBefore) / 1e3 / deliveries, load);
		}
	}

	/**
	 * CPU time of this JVM (every thread: publishing, driving, working, Lettuce, GC); the contenders run
	 * one at a time, so a run's share is its own.
	 */
	/**
	 * The JVM's CPU time per delivery by thread (names with digits folded), and bytes allocated per
	 * delivery by thread; what the process spent besides is the JVM's own threads (JIT, GC).
	 */
	private static void printThreads(Contender contender, String label, long deliveries,
			java.util.Map<String, Long> before, java.util.Map<String, Long> after, long processNanos) {
		StringBuilder line = new StringBuilder();
		after.forEach((name, value) -> {
			long delta = value - before.getOrDefault(name, 0L);
			if (delta > deliveries * 100L) { // over 0.1 µs or 100 bytes per delivery
				line.append(String.format(java.util.Locale.ROOT, name.startsWith("bytes ") ? " %s %.0f" : " %s %.2f µs",
						name, delta / 1e3 / deliveries));
			}
		});
		System.out.printf(java.util.Locale.ROOT, "[threads] %s, %s: JVM %.2f µs per delivery:%s%n", label,
				contender.name(), processNanos / 1e3 / deliveries, line);
	}

	/** CPU nanoseconds, and allocated bytes times 1,000 (as "bytes <name>"), of each live thread by name. */
	private static java.util.Map<String, Long> threadCpu() {
		java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		java.util.Map<String, Long> out = new java.util.TreeMap<>();
		for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			String name = info.getThreadName().replaceAll("\\d+", "N");
			long cpu = threads.getThreadCpuTime(info.getThreadId());
			if (cpu > 0) {
				out.merge(name, cpu, Long::sum);
			}
			if (threads instanceof com.sun.management.ThreadMXBean sun) {
				long bytes = sun.getThreadAllocatedBytes(info.getThreadId());
				if (bytes > 0) {
					out.merge("bytes " + name, bytes * 1000, Long::sum);
				}
			}
		}
		return out;
	}

	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	/**
	 * The commands of one run by command, per delivery, most first (the two INFO calls included), each
	 * with the microseconds Redis spent in it per delivery.
	 */
	private static void printCommands(Contender contender, String label, long deliveries,
			java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
		StringBuilder line = new StringBuilder();
		long total = 0;
		List<java.util.Map.Entry<String, Long>> deltas = new ArrayList<>();
		for (java.util.Map.Entry<String, Long> entry : after.entrySet()) {
			long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
			if (delta > 0 && !entry.getKey().endsWith(".usec")) {
				deltas.add(java.util.Map.entry(entry.getKey(), delta));
				total += delta;
			}
		}
		deltas.sort(java.util.Map.Entry.<String, Long>comparingByValue().reversed());
		for (java.util.Map.Entry<String, Long> entry : deltas) {
			long usec = after.getOrDefault(entry.getKey() + ".usec", 0L)
					- before.getOrDefault(entry.getKey() + ".usec", 0L);
			line.append(String.format(java.util.Locale.ROOT, " %s %.3f (%.2f µs)", entry.getKey(),
					(double) entry.getValue() / deliveries, (double) usec / deliveries));
		}
		System.out.printf(java.util.Locale.ROOT, "[commands] %s, %s: %.3f per delivery:%s%n", label, contender.name(),
				(double) total / deliveries, line);
	}

	/** One app, events published one at a time at 1,000 a second; latency from publish to handler. */
	void latency(Contender contender) throws InterruptedException {
		int events = this.options.latencyEvents();
		Probe.expect(events, true);
		double load = load();
		long start = System.nanoTime();
		for (int i = 0; i < events; i++) {
			long due = start + i * 1_000_000L;
			for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
				LockSupport.parkNanos(due - now);
			}
			contender.publish(next());
		}
		long published = System.nanoTime();
		long end = Probe.await(DELIVERY_TIMEOUT);
		long[] latencies = Probe.sortedLatencies();
		Probe.stopRecording();
		if (end < 0 || latencies.length == 0) {
			System.err.printf("latency: %s timed out%n", contender.name());
			drain();
			return;
		}
		add(new Figure("latency at 1,000 events/s: p50", "ms", false), contender, percentile(latencies, 0.50), load);
		add(new Figure("latency at 1,000 events/s: p99", "ms", false), contender, percentile(latencies, 0.99), load);
		add(new Figure("latency at 1,000 events/s: max", "ms", false), contender,
				latencies[latencies.length - 1] / 1e6, load);
		add(new Figure("latency run: publish rate achieved", "events/s", true), contender,
				events / ((published - start) / 1e9), load);
	}

	private BenchEvent next() {
		return BenchEvent.now(this.seq.incrementAndGet());
	}

	private void record(Figure figure, Contender contender, double value) {
		add(figure, contender, value, load());
	}

	private void add(Figure figure, Contender contender, double value, double load) {
		if (!this.recording) {
			return;
		}
		this.results.add(figure, contender.name(), value, load);
	}

	/** Calls per second of {@code call} from {@code threads} threads over {@code nanos}. */
	private static double rate(int threads, long nanos, Runnable call) throws InterruptedException {
		AtomicLong calls = new AtomicLong();
		long start = System.nanoTime();
		long deadline = start + nanos;
		List<Thread> running = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread thread = new Thread(() -> {
				long own = 0;
				while (System.nanoTime() < deadline) {
					call.run();
					own++;
				}
				calls.addAndGet(own);
			}, "bench-publisher-" + t);
			thread.start();
			running.add(thread);
		}
		for (Thread thread : running) {
			thread.join();
		}
		return calls.get() / ((System.nanoTime() - start) / 1e9);
	}

	private double asyncRate(Contender contender, long nanos) throws InterruptedException {
		if (contender.publishAsync(next()) == null) {
			return Double.NaN;
		}
		Semaphore window = new Semaphore(ASYNC_WINDOW);
		long start = System.nanoTime();
		long deadline = start + nanos;
		long calls = 0;
		while (System.nanoTime() < deadline) {
			window.acquire();
			CompletableFuture<?> sent = Objects.requireNonNull(contender.publishAsync(next()));
			sent.whenComplete((result, failure) -> window.release());
			calls++;
		}
		window.acquire(ASYNC_WINDOW);
		return calls / ((System.nanoTime() - start) / 1e9);
	}

	private static double percentile(long[] sorted, double p) {
		int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	/** After a timeout: give stragglers time so they do not count in the next run. */
	private static void drain() throws InterruptedException {
		Thread.sleep(5_000);
	}

}
