package io.resquebus.job;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the Resque class and queue of a Java job type, as a Ruby job class names its
 * {@code @queue}: {@code @ResqueClass(value = "Archive", queue = "file_serve") record Archive(long repoId,
 * String branch)}. Its record components are the job's {@code args}, in order:
 * {@code jobs.enqueue(new Archive(42, "masterbrew"))} writes {@code {"class":"Archive","args":[42,"masterbrew"]}}
 * on {@code queue:file_serve}, and a {@link ResqueJob} method may take the record back.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResqueClass {

	/** The Resque class name, e.g. {@code Archive} or {@code Reports::Monthly}. */
	String value();

	/** The queue its jobs go to, e.g. {@code file_serve}. */
	String queue();

}
