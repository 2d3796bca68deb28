package io.resquebus.hook;

import io.resquebus.BusEvent;
import org.jspecify.annotations.Nullable;

/**
 * A job whose run failed.
 *
 * @param queue the queue it came from
 * @param rawJob the job as it was on the queue
 * @param event its event, or {@code null} if the job could not be read
 * @param subscriptionKey the sub key it was for, or {@code null} if the job could not be read
 */
public record JobError(String queue, String rawJob, @Nullable BusEvent event, @Nullable String subscriptionKey) {
}
