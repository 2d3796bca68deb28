package io.resquebus.failure;

import io.resquebus.wire.FailureEntry;

/**
 * One entry of the failed list as a listing shows it, at most a given size: a larger entry is cut
 * in Redis, so it never reaches the JVM whole. Act on it through {@link FailedJobs#get} (index and
 * digest name it), which reads it whole within a size the caller chooses.
 *
 * @param index its position in the failed list when read (0 is the oldest)
 * @param digest SHA-1 of the stored entry, as {@link FailedJob#digest()}
 * @param bytes the stored entry's size in bytes
 * @param truncated whether the entry was cut: then its {@link FailureEntry#payload() payload} is
 * only the payload's first bytes, its error is cut as well and its backtrace holds the first lines
 * @param entry the entry decoded, whole or cut
 */
public record FailedJobPreview(long index, String digest, long bytes, boolean truncated, FailureEntry entry) {
}
