package io.resquebus.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;

/**
 * This app's handlers of plain Resque jobs, by class and, for catch-all handlers, by queue; the
 * programmatic way to add some ({@link #handle}), next to {@link ResqueJob} methods. What the
 * worker does with a job no handler takes is {@link #unknownJobs()}.
 */
public final class ResqueJobs {

	/** What a worker does with a plain job whose class no handler of this app takes. */
	public enum UnknownJobs {

		/** Resque's way: the job goes to the failed list ({@link UnknownJobClassException}). */
		FAIL,

		/**
		 * The job is left for another (Ruby) worker: handed back unchanged to the head of its queue,
		 * never run nor failed; the consumer then pauses a moment, so a Ruby worker can take it.
		 */
		LEAVE

	}

	private final Map<String, ResqueJobRegistration> byClass = new LinkedHashMap<>();

	private final Map<String, ResqueJobRegistration> byQueue = new LinkedHashMap<>();

	private final List<ResqueJobRegistration> all = new ArrayList<>();

	private volatile UnknownJobs unknownJobs = UnknownJobs.FAIL;

	public UnknownJobs unknownJobs() {
		return this.unknownJobs;
	}

	public void setUnknownJobs(UnknownJobs unknownJobs) {
		this.unknownJobs = unknownJobs;
	}

	/** Performs the jobs of {@code jobClass} (from any queue the worker works) and has the worker work {@code queue}. */
	public void handle(String jobClass, String queue, ResqueJobHandler handler) {
		add(new ResqueJobRegistration(jobClass, List.of(queue), handler, "handler of " + jobClass, null));
	}

	/** As {@link #handle(String, String, ResqueJobHandler)}, retrying failed runs under {@code retry}. */
	public void handle(String jobClass, String queue, ResqueJobHandler handler, RetryPolicy retry) {
		add(new ResqueJobRegistration(jobClass, List.of(queue), handler, "handler of " + jobClass, retry));
	}

	/** Performs every job on {@code queue} that no class handler takes, whatever its class (Pace's worker). */
	public void handleQueue(String queue, ResqueJobHandler handler) {
		add(new ResqueJobRegistration(null, List.of(queue), handler, "handler of queue " + queue, null));
	}

	/**
	 * @throws IllegalStateException naming both when the class (or the queue's catch-all) already
	 * has a handler
	 */
	public synchronized void add(ResqueJobRegistration registration) {
		if (registration.jobClass() != null) {
			claim(this.byClass, strip(registration.jobClass()), registration, "job class " + registration.jobClass());
		}
		else {
			for (String queue : registration.queues()) {
				claim(this.byQueue, queue, registration, "every job of queue " + queue);
			}
		}
		this.all.add(registration);
	}

	private static void claim(Map<String, ResqueJobRegistration> map, String key, ResqueJobRegistration registration,
			String what) {
		ResqueJobRegistration previous = map.putIfAbsent(key, registration);
		if (previous != null) {
			throw new IllegalStateException(registration.source() + " and " + previous.source() + " both handle "
					+ what + "; one handler each");
		}
	}

	/** The handler of a job: its class's, else the catch-all of the queue it came from. */
	public synchronized Optional<ResqueJobRegistration> find(String queue, String jobClass) {
		ResqueJobRegistration own = this.byClass.get(strip(jobClass));
		return Optional.ofNullable((own != null) ? own : this.byQueue.get(queue));
	}

	/** The queues the handlers name, in the order they were added. */
	public synchronized List<String> queues() {
		LinkedHashSet<String> queues = new LinkedHashSet<>();
		this.all.forEach((registration) -> queues.addAll(registration.queues()));
		return List.copyOf(queues);
	}

	public synchronized List<ResqueJobRegistration> all() {
		return List.copyOf(this.all);
	}

	public synchronized boolean isEmpty() {
		return this.all.isEmpty();
	}

	/** Ruby's {@code constantize} ignores a leading {@code ::}. */
	private static String strip(@Nullable String jobClass) {
		String name = (jobClass != null) ? jobClass : "";
		return name.startsWith("::") ? name.substring(2) : name;
	}

}
