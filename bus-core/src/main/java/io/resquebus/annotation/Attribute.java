package io.resquebus.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.resquebus.subscription.Match;

/**
 * One attribute a {@link BusSubscriber} requires of an event, on top of its event type (all must
 * match, as in queue-bus): {@code @Attribute(name = "tier", value = "3")} or
 * {@code @Attribute(name = "email", value = Attribute.PRESENT)}. It is stored in the app's
 * subscription registry, so Ruby drivers route by it too.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Attribute {

	/** @see Match#KEY */
	String KEY = Match.KEY;

	/** @see Match#NIL */
	String NIL = Match.NIL;

	/** @see Match#VALUE */
	String VALUE = Match.VALUE;

	/** @see Match#EMPTY */
	String EMPTY = Match.EMPTY;

	/** @see Match#BLANK */
	String BLANK = Match.BLANK;

	/** @see Match#PRESENT */
	String PRESENT = Match.PRESENT;

	/** The top-level attribute's name, e.g. {@code email}; {@code bus_*} attributes included. */
	String name();

	/**
	 * What the attribute must be: one of the special values of this annotation, or a value its
	 * Ruby {@code to_s} equals or matches as an anchored regular expression ({@code "3"},
	 * {@code "(gold|silver)"}; group alternatives, since Ruby anchors {@code a|b} as
	 * {@code ^a|b$}).
	 */
	String value() default "";

	/**
	 * Instead of {@link #value()}: a regular expression the attribute must contain a match of,
	 * stored in Ruby's form as {@code @BusSubscriber(pattern = ...)} is.
	 */
	String pattern() default "";

}
