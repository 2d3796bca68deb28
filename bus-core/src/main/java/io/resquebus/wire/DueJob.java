package io.resquebus.wire;

/**
 * What a due resque-scheduler item becomes (spec 8.3): the Resque job to push and the queue it
 * goes to.
 *
 * @param queue the item's {@code queue}
 * @param job {@code {"class":…,"args":…}} with the item's own class and args
 */
public record DueJob(String queue, String job) {
}
