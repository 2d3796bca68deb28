package io.resquebus.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a {@code @SpringBootTest} a throwaway real Redis, wired in the way a Testcontainers
 * {@code @ServiceConnection} is (a {@code DataRedisConnectionDetails} bean, which wins over
 * {@code spring.data.redis.*}), and its own {@code resquebus.namespace}, so test contexts sharing the
 * Redis never see each other's events. The Redis is the JVM-wide one of
 * {@link io.resquebus.embedded.TestRedis#shared()}, chosen once, in this order:
 * <ol>
 * <li>the Redis at {@code RESQUEBUS_TEST_REDIS_URL} (or {@code -Dresquebus.test.redis-url}), if set;</li>
 * <li>a Testcontainers {@code redis:7-alpine} where a Docker engine answers;</li>
 * <li>an embedded {@code redis-server} on a free port (no Docker needed).</li>
 * </ol>
 * It never uses a Redis on the default port 6379 unless told to.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureTestRedis {

	/**
	 * The {@code resquebus.namespace} of the test context; by default a fresh {@code test-...} one
	 * for every context. It takes precedence over every other {@code resquebus.namespace}.
	 */
	String namespace() default "";

}
