package io.resquebus.wire;

import java.util.List;

/**
 * One entry of Resque's {@code failed} list (spec section 9), in the order resque-web reads it.
 *
 * @param failedAt formatted {@code %Y/%m/%d %H:%M:%S %Z}
 * @param payload the job exactly as popped
 * @param exception the exception's class name
 * @param error the exception's message
 * @param backtrace one string per stack frame
 * @param worker the id of the worker that ran the job
 * @param queue the queue the job came from
 */
public record FailureEntry(String failedAt, String payload, String exception, String error, List<String> backtrace,
		String worker, String queue) {
}
