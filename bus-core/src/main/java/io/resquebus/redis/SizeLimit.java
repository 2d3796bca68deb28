package io.resquebus.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The largest job a consumer takes, checked by the fetch script inside Redis, so a bigger job never
 * reaches the JVM: the script moves it to the failed list with the first {@link #KEPT_BYTES} of it
 * and its size. The failure entry is made by the caller in Resque's format, as parts around what
 * only the script knows (payload, size, limit); the last part names the queue, one per queue.
 */
public final class SizeLimit {

	/** How much of a refused job its failure entry keeps, so no reader of the failed list loads it whole. */
	public static final int KEPT_BYTES = 1024;

	/** No limit: the script takes every job. */
	public static final SizeLimit NONE = new SizeLimit(0, 0, List.of(), () -> "");

	private final long maxPayloadSize;

	private final long maxFailed;

	private final List<String> parts;

	private final Supplier<String> failedAt;

	/**
	 * @param maxPayloadSize the largest job in bytes; 0 for no limit
	 * @param maxFailed most entries the failed list keeps; 0 for no limit
	 * @param parts the failure entry around failed_at, payload, size and limit, then its end for each
	 * queue of the consumer in order
	 * @param failedAt the current {@code failed_at}, asked at each fetch
	 */
	public SizeLimit(long maxPayloadSize, long maxFailed, List<String> parts, Supplier<String> failedAt) {
		this.maxPayloadSize = maxPayloadSize;
		this.maxFailed = maxFailed;
		this.parts = List.copyOf(parts);
		this.failedAt = failedAt;
	}

	public long maxPayloadSize() {
		return this.maxPayloadSize;
	}

	/**
	 * Whether jobs of these sizes fill a batch: with a limit, a fetch stops taking jobs once those it
	 * took reach it in bytes together, so however large the batch size, a batch holds about the limit.
	 */
	boolean fills(List<FetchedJob> jobs) {
		if (this.maxPayloadSize <= 0) {
			return false;
		}
		return bytes(jobs) >= this.maxPayloadSize;
	}

	static long bytes(List<FetchedJob> jobs) {
		long bytes = 0;
		for (FetchedJob job : jobs) {
			bytes += job.bytes().length;
		}
		return bytes;
	}

	/** The fetch script's arguments after the batch size. */
	List<String> args() {
		if (this.maxPayloadSize <= 0) {
			return List.of("0");
		}
		List<String> args = new ArrayList<>(this.parts.size() + 2);
		args.add(Long.toString(this.maxPayloadSize));
		args.add(Long.toString(this.maxFailed));
		args.add(Integer.toString(KEPT_BYTES));
		args.add(this.parts.get(0) + this.failedAt.get() + this.parts.get(1));
		args.addAll(this.parts.subList(2, this.parts.size()));
		return args;
	}

}
