/**
 * The transactional outbox: events published in a transaction are stored with it in Spring
 * Modulith's event publication registry and sent to Redis after the commit, again until Redis
 * takes them; and Modulith's {@code @Externalized} application events published on the bus.
 */
@NullMarked
package io.resquebus.autoconfigure.outbox;

import org.jspecify.annotations.NullMarked;
