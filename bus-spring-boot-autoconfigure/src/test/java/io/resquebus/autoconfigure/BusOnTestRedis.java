package io.resquebus.autoconfigure;

import java.util.UUID;

import io.resquebus.embedded.TestRedis;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The properties every Spring Boot test of this module sets: the tests' own Redis, a namespace
 * of the test's own, an app key and short block timeouts so contexts stop quickly.
 */
final class BusOnTestRedis {

	private BusOnTestRedis() {
	}

	/** A fresh namespace such as {@code test-e2e-1a2b3c4d}. */
	static String namespace(String name) {
		return "test-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	static void register(DynamicPropertyRegistry registry, String namespace, String appKey) {
		registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
		registry.add("resquebus.namespace", () -> namespace);
		registry.add("resquebus.app-key", () -> appKey);
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
		registry.add("resquebus.driver.block-timeout", () -> "100ms");
	}

	/** Redis drops empty lists: no queue and no in-flight list left means every job was done. */
	static boolean allQueuesDrained(StringRedisTemplate redis, String namespace) {
		return redis.keys(namespace + ":queue:*").isEmpty()
				&& redis.keys("{" + namespace + ":queue:*}:inflight:*").isEmpty();
	}

}
