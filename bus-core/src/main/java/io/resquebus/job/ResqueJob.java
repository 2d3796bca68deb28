package io.resquebus.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.resquebus.annotation.Retry;

/**
 * Performs the plain Resque jobs of one class, as a Ruby class's {@code self.perform} does:
 * {@code @ResqueJob(value = "Archive", queue = "file_serve") void archive(long repoId, String branch)}.
 * The worker works {@link #queue()} next to the app's bus queues (unless
 * {@code resquebus.worker.queues} names them all), and runs jobs of the class from any queue it
 * works.
 * <p>
 * Parameters bind positionally to the job's {@code args} through the bus's JSON mapper: strings,
 * numbers, booleans, {@code List}, {@code Map}, {@code Object}, records and POJOs (from JSON
 * objects); a single {@link ResqueClass} record takes all the args as its components. A method
 * taking one {@link io.resquebus.wire.PlainJob} gets the class and args as they are; with an empty
 * {@link #value()} it performs every job on its queues that no class handler takes (Pace's "one
 * worker per queue"). A signature the bus cannot serve fails the application start, naming the method.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResqueJob {

	/** The Resque class name, e.g. {@code Archive}; empty for every class on {@link #queue()} no other handler takes. */
	String value() default "";

	/** Queues this app's worker works for these jobs, e.g. {@code file_serve}. */
	String[] queue() default {};

	/**
	 * How failed runs are retried, resque-retry's way (its counter key, its delays); left at its
	 * defaults, a failed run goes straight to the failed list, as for a Ruby job without the
	 * retry plugin. {@code @Retry(attempts = 4, delay = "60s")} is {@code @retry_limit = 3, @retry_delay = 60}.
	 */
	Retry retry() default @Retry;

}
