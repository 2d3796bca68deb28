package io.resquebus.embedded;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The one Redis choice every test module shares, so tests never touch a developer's Redis on 6379:
 * an external Redis when {@code RESQUEBUS_TEST_REDIS_URL} (or {@code -Dresquebus.test.redis-url})
 * says so, else a Testcontainers {@code redis:7-alpine} where Docker answers, else an
 * {@link EmbeddedRedisServer} on a free port.
 */
public final class TestRedis {

	static final String ENV = "RESQUEBUS_TEST_REDIS_URL";

	static final String PROPERTY = "resquebus.test.redis-url";

	private static final Logger logger = LoggerFactory.getLogger(TestRedis.class);

	private static @Nullable RedisEndpoint shared;

	private TestRedis() {
	}

	/** Where a Redis answers; {@code kind} is "external", "testcontainers" or "embedded". */
	public record RedisEndpoint(String host, int port, String kind) {

		public String url() {
			return "redis://" + host + ":" + port;
		}
	}

	/** The JVM-wide Redis for tests, started on first use; owned ones stop at JVM exit. */
	public static synchronized RedisEndpoint shared() {
		if (shared == null) {
			shared = choose();
			logger.info("Tests use {} Redis at {}", shared.kind(), shared.url());
		}
		return shared;
	}

	/** A new, started embedded server owned by the caller, for tests that stop and restart Redis. */
	public static EmbeddedRedisServer dedicated() {
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().build();
		server.start();
		return server;
	}

	private static RedisEndpoint choose() {
		String url = System.getProperty(PROPERTY);
		if (url == null || url.isBlank()) {
			url = System.getenv(ENV);
		}
		if (url != null && !url.isBlank()) {
			return external(url.trim());
		}
		RedisEndpoint container = tryTestcontainers();
		if (container != null) {
			return container;
		}
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().build();
		server.start(); // stopped by EmbeddedRedisServer's shutdown hook
		return new RedisEndpoint(server.host(), server.port(), "embedded");
	}

	private static RedisEndpoint external(String url) {
		URI uri = URI.create(url);
		if (uri.getHost() == null) {
			throw new IllegalStateException(ENV + " must look like redis://host:port, was: " + url);
		}
		return new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), "external");
	}

	private static @Nullable RedisEndpoint tryTestcontainers() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory", false, TestRedis.class.getClassLoader());
			return Containers.start();
		}
		catch (Throwable ex) {
			logger.debug("No Testcontainers Redis: {}", ex.toString());
			return null;
		}
	}

	/** Touched only when Testcontainers is on the classpath, so its classes are optional. */
	private static final class Containers {

		static @Nullable RedisEndpoint start() {
			if (!DockerClientFactory.instance().isDockerAvailable()) {
				return null;
			}
			GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
					.withExposedPorts(6379);
			redis.start();
			Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "test-redis-container-shutdown"));
			return new RedisEndpoint(redis.getHost(), redis.getMappedPort(6379), "testcontainers");
		}

	}

}
