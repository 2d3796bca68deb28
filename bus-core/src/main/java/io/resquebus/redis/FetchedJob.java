package io.resquebus.redis;

/**
 * A job moved from a queue into this consumer's in-flight list, not yet acknowledged.
 *
 * @param queue the queue name it came from (without namespace)
 * @param raw the job exactly as it was on the queue
 */
public record FetchedJob(String queue, String raw) {
}
