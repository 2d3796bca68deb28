/**
 * Publishing events: {@link io.resquebus.publish.BusTemplate} and what it writes.
 */
@NullMarked
package io.resquebus.publish;

import org.jspecify.annotations.NullMarked;
