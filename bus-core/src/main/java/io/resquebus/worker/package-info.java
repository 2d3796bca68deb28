/**
 * Workers: fetch jobs reliably from an application's queues and invoke its handlers.
 */
@NullMarked
package io.resquebus.worker;

import org.jspecify.annotations.NullMarked;
