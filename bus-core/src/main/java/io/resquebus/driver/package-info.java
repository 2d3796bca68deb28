/**
 * The driver: fans each incoming event out to the queue of every matching subscription.
 */
@NullMarked
package io.resquebus.driver;

import org.jspecify.annotations.NullMarked;
