package io.resquebus.job;

import io.resquebus.wire.PlainJob;

/**
 * Performs one plain Resque job. Throwing fails it (retried or on the failed list).
 */
@FunctionalInterface
public interface ResqueJobHandler {

	void perform(PlainJob job) throws Exception;

}
