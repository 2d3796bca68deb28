/**
 * Annotations that turn bean methods into bus subscriptions, and the post-processor that scans them.
 */
@NullMarked
package io.resquebus.annotation;

import org.jspecify.annotations.NullMarked;
