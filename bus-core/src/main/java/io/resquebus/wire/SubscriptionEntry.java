package io.resquebus.wire;

import java.util.Map;

/**
 * One subscription as stored in an app's {@code bus_app:<app>} hash (spec section 5).
 *
 * @param queueName the queue matching events land on, e.g. {@code app_b_default}
 * @param key the sub key: the hash field, unique within the app and stable across deploys
 * @param className the Ruby class that handles it; {@code ::QueueBus::Rider} for Java
 * @param matcher attribute name to expected value, string, Ruby regex or special value
 */
public record SubscriptionEntry(String queueName, String key, String className, Map<String, String> matcher) {
}
