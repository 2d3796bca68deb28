/**
 * Handler invocation: runs one job's handler for its subscription, and the errors that tell
 * a job retrying cannot fix.
 */
@NullMarked
package io.resquebus.invoke;

import org.jspecify.annotations.NullMarked;
