package io.resquebus.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Subscribes a bean method to events: {@code @BusSubscriber("user_created")} for one event type,
 * {@code @BusSubscriber(pattern = "^user_")} for every type a regular expression finds, and
 * {@link #attributes()} for what the event's attributes must be (all combined by AND, as
 * queue-bus matches).
 * <p>
 * The method may take no parameter, a {@code Map<String, Object>} of the event's attributes
 * ({@code bus_*} metadata included), a {@link io.resquebus.BusEvent}, or one record or POJO bound
 * from the attributes by the bus's JSON mapper (unknown attributes ignored, missing ones
 * {@code null}). Any other signature fails the application start. The method runs later, in this
 * app's worker; if it throws, the job is retried under its {@link #retry() retry policy} and goes
 * to the failed list after the last attempt (at once if its event cannot be bound).
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusSubscriber {

	/** Alias for {@link #event()}. */
	@AliasFor("event")
	String value() default "";

	/** The event type to receive, e.g. {@code user_created}. */
	@AliasFor("value")
	String event() default "";

	/**
	 * A regular expression the event type must contain a match of (anchor it with {@code ^} and
	 * {@code $} as needed); stored in Ruby's form so Ruby drivers match it the same way.
	 */
	String pattern() default "";

	/**
	 * Attributes the event must have, besides its type: {@code @Attribute(name = "email", value =
	 * Attribute.PRESENT)}. Stored after {@code bus_event_type} in declaration order. With neither
	 * an event type nor a pattern, the attributes alone select the events.
	 */
	Attribute[] attributes() default {};

	/**
	 * The queue suffix: the job lands on {@code <app-key>_<queue>}. {@code default} unless said;
	 * {@code critical} queues are worked first.
	 */
	String queue() default "default";

	/**
	 * The subscription's key, unique within the app and stable across deploys (queued jobs find
	 * their handler by it). Defaults to {@code SimpleClassName.methodName}. A second subscription
	 * with the same key replaces the first.
	 */
	String key() default "";

	/**
	 * Whether, when this same application publishes a matching event, the method runs in the
	 * publisher's thread before {@code publish} returns instead of later through the queue. It runs
	 * before the event is sent: if it throws, its exception reaches the publisher and the event is
	 * published to no one. Every other subscription still gets the event asynchronously, and the
	 * event carries {@code bus_sync_delivered} so this one never gets it a second time from its
	 * queue. Events published by other apps, and delayed events, arrive through the queue as usual.
	 */
	boolean sync() default false;

	/**
	 * How failed runs of this subscription are retried, e.g. {@code @Retry(attempts = 3, delay =
	 * "10s")}; by default the application's policy ({@code resquebus.retry.*}).
	 */
	Retry retry() default @Retry;

	/**
	 * Bean names of {@link io.resquebus.hook.BusHandlerInterceptor}s this subscription leaves out
	 * (ActionEvent's {@code skip_before_filter}); an unknown name fails the application start.
	 */
	String[] skipInterceptors() default {};

	/**
	 * Bean name of the {@link io.resquebus.hook.BusErrorHandler} for this subscription's failed
	 * jobs, called before the global ones; a handler named here serves only the subscriptions
	 * naming it. An unknown name fails the application start.
	 */
	String errorHandler() default "";

}
