package io.resquebus.job;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;

/**
 * A handler of plain Resque jobs.
 *
 * @param jobClass the Resque class it performs, or {@code null} for every job on its queues no
 * class handler takes
 * @param queues the queues the worker works for it
 * @param handler what performs the job
 * @param source where it was declared, for messages (e.g. a method)
 * @param retry how failed runs are retried, or {@code null} for none (straight to the failed list)
 */
public record ResqueJobRegistration(@Nullable String jobClass, List<String> queues, ResqueJobHandler handler,
		String source, @Nullable RetryPolicy retry) {

	public ResqueJobRegistration {
		queues = List.copyOf(queues);
		if (jobClass != null && jobClass.isEmpty()) {
			throw new IllegalArgumentException(source + ": a job class must not be empty (Resque::NoClassError)");
		}
		if (jobClass == null && queues.isEmpty()) {
			throw new IllegalArgumentException(source + " performs every job of its queues but names no queue");
		}
		for (String queue : queues) {
			if (queue.isEmpty() || queue.contains(",") || queue.contains(":") || queue.equals("*")) {
				throw new IllegalArgumentException(source + ": '" + queue
						+ "' is not a queue name (empty, or with ',', ':' or '*')");
			}
		}
	}

}
