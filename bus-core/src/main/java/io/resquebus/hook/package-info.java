/**
 * Hooks around handlers: interceptors around each handler invocation and error handlers called
 * after a failed job is recorded.
 */
@NullMarked
package io.resquebus.hook;

import org.jspecify.annotations.NullMarked;
