/**
 * The worker: works an application's queues in priority order, throttled, and retries or fails
 * the jobs whose handlers threw; the handler itself runs through {@code io.resquebus.invoke}.
 */
@NullMarked
package io.resquebus.worker;

import org.jspecify.annotations.NullMarked;
