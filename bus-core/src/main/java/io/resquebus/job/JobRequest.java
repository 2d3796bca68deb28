package io.resquebus.job;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One plain Resque job to enqueue: {@code Resque.enqueue_to(queue, jobClass, *args)}.
 *
 * @param queue the queue, e.g. {@code file_serve}
 * @param jobClass the Resque class, e.g. {@code Archive}
 * @param args the arguments of its {@code perform}: JSON values, records or POJOs
 */
public record JobRequest(String queue, String jobClass, List<@Nullable Object> args) {

	public JobRequest {
		if (queue.isEmpty()) {
			throw new IllegalArgumentException("Jobs must be placed onto a queue. No queue given for class " + jobClass
					+ " (Resque::NoQueueError)");
		}
		if (jobClass.isEmpty()) {
			throw new IllegalArgumentException("Jobs must be given a class. (Resque::NoClassError)");
		}
		args = java.util.Collections.unmodifiableList(new ArrayList<>(args));
	}

	public static JobRequest of(String queue, String jobClass, @Nullable Object... args) {
		return new JobRequest(queue, jobClass, Arrays.asList(args));
	}

	/**
	 * The job a {@link ResqueClass} record stands for: its class and queue, its components as args.
	 * @throws IllegalArgumentException when the type is not a record annotated with {@link ResqueClass}
	 */
	public static JobRequest of(Object job) {
		Class<?> type = job.getClass();
		ResqueClass resque = type.getAnnotation(ResqueClass.class);
		if (resque == null || !type.isRecord()) {
			throw new IllegalArgumentException(type.getName() + " is not a record annotated with @ResqueClass, so it "
					+ "names no Resque class and queue; enqueue(queue, jobClass, args...) takes any args");
		}
		List<@Nullable Object> args = new ArrayList<>();
		for (RecordComponent component : type.getRecordComponents()) {
			try {
				java.lang.reflect.Method accessor = component.getAccessor();
				org.springframework.util.ReflectionUtils.makeAccessible(accessor);
				args.add(accessor.invoke(job));
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalArgumentException("Cannot read " + component.getName() + " of " + type.getName(), ex);
			}
		}
		return new JobRequest(resque.queue(), resque.value(), args);
	}

}
