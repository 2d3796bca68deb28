package io.resquebus.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * A {@link BusSubscriber} on the app's {@code critical} queue, which workers drain before any
 * other: {@code @Critical("user_paid")}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@BusSubscriber(queue = "critical")
public @interface Critical {

	/** Alias for {@link #event()}. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "value")
	String value() default "";

	/** The event type to receive. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "event")
	String event() default "";

	/** A regular expression the event type must contain a match of. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "pattern")
	String pattern() default "";

	/** Attributes the event must have, besides its type. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "attributes")
	Attribute[] attributes() default {};

	/** The subscription's key; defaults to {@code SimpleClassName.methodName}. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "key")
	String key() default "";

	/** How failed runs are retried; by default the application's policy. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "retry")
	Retry retry() default @Retry;

	/** Whether this app's own publishes run it in the publisher's thread; see {@link BusSubscriber#sync()}. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "sync")
	boolean sync() default false;

	/** Interceptor bean names this subscription leaves out; see {@link BusSubscriber#skipInterceptors()}. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "skipInterceptors")
	String[] skipInterceptors() default {};

	/** Bean name of this subscription's error handler; see {@link BusSubscriber#errorHandler()}. */
	@AliasFor(annotation = BusSubscriber.class, attribute = "errorHandler")
	String errorHandler() default "";

}
