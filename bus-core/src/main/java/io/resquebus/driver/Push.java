package io.resquebus.driver;

/**
 * A job the driver pushes onto a queue.
 *
 * @param queue the queue name (without namespace)
 * @param job the job JSON
 */
record Push(String queue, String job) {
}
