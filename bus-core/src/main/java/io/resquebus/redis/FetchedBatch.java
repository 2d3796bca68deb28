package io.resquebus.redis;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A batch a consumer fetched, as it works through it: which jobs it started, which it has not. A
 * stop that cannot wait for the consumer any longer takes the unstarted jobs from it, to give them
 * back, and the consumer then starts none of them. Thread-safe.
 */
public final class FetchedBatch {

	private final QueueFetcher fetcher;

	private final List<FetchedJob> jobs;

	private int next;

	private boolean inJob;

	private boolean detached;

	public FetchedBatch(QueueFetcher fetcher, List<FetchedJob> jobs) {
		this.fetcher = fetcher;
		this.jobs = List.copyOf(jobs);
	}

	/** The fetcher that fetched the batch, whose in-flight lists hold it. */
	public QueueFetcher fetcher() {
		return this.fetcher;
	}

	/** The next job to start, or {@code null} when none is left (or a stop took the rest). */
	public synchronized @Nullable FetchedJob peek() {
		this.inJob = false;
		return (this.next < this.jobs.size()) ? this.jobs.get(this.next) : null;
	}

	/**
	 * Marks the job {@link #peek()} returned as started.
	 * @return false when a stop took it meanwhile: it must not run
	 */
	public synchronized boolean start(FetchedJob job) {
		if (this.next >= this.jobs.size() || this.jobs.get(this.next) != job) {
			return false;
		}
		this.next++;
		this.inJob = true;
		return true;
	}

	/** Starts every job not yet started at once (a driver handles a batch as one step). */
	public synchronized List<FetchedJob> startAll() {
		List<FetchedJob> rest = takeRest();
		this.inJob = !rest.isEmpty();
		return rest;
	}

	/** Takes the jobs not started, which will not be started then; the caller gives them back. */
	public synchronized List<FetchedJob> takeRest() {
		List<FetchedJob> rest = new ArrayList<>(this.jobs.subList(this.next, this.jobs.size()));
		this.next = this.jobs.size();
		return rest;
	}

	/** Marks the batch's consumer as left behind by a stop, and tells whether it runs a job. */
	public synchronized boolean detach() {
		this.detached = true;
		return this.inJob;
	}

	/** Whether a stop left the consumer behind while it handled this batch. */
	public synchronized boolean isDetached() {
		return this.detached;
	}

	/** Marks the batch done: nothing of it runs any more. */
	public synchronized void done() {
		this.inJob = false;
	}

}
