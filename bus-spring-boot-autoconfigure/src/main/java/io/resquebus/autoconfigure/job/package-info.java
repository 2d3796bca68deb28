/**
 * Auto-configuration of plain Resque jobs: the {@code JobOperations} bean, {@code @ResqueJob}
 * scanning and the worker's plain-job runner.
 */
@NullMarked
package io.resquebus.autoconfigure.job;

import org.jspecify.annotations.NullMarked;
