package io.resquebus.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.resquebus.wire.PlainJob;
import org.jspecify.annotations.Nullable;

/**
 * Resque's queue API for plain jobs, writing exactly what {@code resque} 1.27 and
 * {@code resque-scheduler} 4 write, so Ruby workers perform what Java enqueues and the other
 * way round. Arguments must be JSON values Ruby can read (records and POJOs become objects);
 * anything else is refused with {@link IllegalArgumentException} before anything is written.
 */
public interface JobOperations {

	/** {@code Resque.enqueue_to(queue, jobClass, *args)}: {@code {"class":..,"args":[..]}} on {@code queue:<queue>}. */
	void enqueue(String queue, String jobClass, @Nullable Object... args);

	/** {@code Resque.enqueue(Archive, ...)} of a {@link ResqueClass} record. */
	void enqueue(Object job);

	/** Several jobs, on one queue or several, all or nothing in one round trip. */
	void enqueueAll(List<JobRequest> jobs);

	/** {@code Resque.enqueue_at}: into resque-scheduler's delayed set, or at once when {@code at} is not in the future. */
	void enqueueAt(Instant at, String queue, String jobClass, @Nullable Object... args);

	/** {@code Resque.enqueue_at} of a {@link ResqueClass} record. */
	void enqueueAt(Instant at, Object job);

	/** {@code Resque.enqueue_in}: {@link #enqueueAt} at now plus {@code delay}. */
	void enqueueIn(Duration delay, String queue, String jobClass, @Nullable Object... args);

	/**
	 * {@code Resque.dequeue(K)}: removes every job of the class from the queue, whatever its args.
	 * @return how many were removed
	 */
	long dequeue(String queue, String jobClass);

	/**
	 * {@code Resque.dequeue(K, *args)}: removes every job whose bytes equal what
	 * {@code enqueue(queue, jobClass, args)} writes (one written differently by another client stays).
	 * With no args it is {@link #dequeue(String, String)}, as in Resque.
	 * @return how many were removed
	 */
	long dequeue(String queue, String jobClass, @Nullable Object... args);

	/** {@code Resque.size(queue)}. */
	long size(String queue);

	/** {@code Resque.peek(queue)}: the job at the head, or {@code null}. */
	@Nullable PlainJob peek(String queue);

	/** {@code Resque.peek(queue, start, count)}: up to {@code count} jobs from {@code start}. */
	List<PlainJob> peek(String queue, long start, long count);

	/** {@code Resque.queues}: every queue name in Resque's {@code queues} set. */
	Set<String> queues();

	/** {@code Resque.remove_queue(queue)}: the queue's jobs and its name are gone. */
	void removeQueue(String queue);

}
