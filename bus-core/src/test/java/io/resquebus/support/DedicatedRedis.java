package io.resquebus.support;

import java.time.Duration;
import java.util.UUID;

import io.resquebus.BusSettings;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import io.resquebus.embedded.TestRedis;
import io.resquebus.redis.BusRedis;
import io.resquebus.wire.BusKeys;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A Redis of each test's own ({@link TestRedis#dedicated()}), for tests that stop it, restart it
 * or read its server-wide statistics, with a connection to it and settings under a fresh
 * namespace. Register with {@code @RegisterExtension}.
 */
public final class DedicatedRedis implements BeforeEachCallback, AfterEachCallback {

	private EmbeddedRedisServer server;

	private LettuceConnectionFactory factory;

	private BusRedis redis;

	private StringRedisTemplate template;

	private BusSettings settings;

	@Override
	public void beforeEach(ExtensionContext context) {
		this.server = TestRedis.dedicated();
		this.factory = startedFactory(this.server);
		this.redis = new BusRedis(this.factory);
		this.template = new StringRedisTemplate(this.factory);
		this.settings = BusSettings.defaults()
			.withKeys(new BusKeys("test-" + UUID.randomUUID().toString().substring(0, 8)))
			.withHostname("test-host");
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.factory.destroy();
		this.server.close();
	}

	/** A started connection factory for a Redis of a test's own; the caller destroys it. */
	public static LettuceConnectionFactory startedFactory(EmbeddedRedisServer server) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** The server, to stop and start. */
	public EmbeddedRedisServer server() {
		return this.server;
	}

	public LettuceConnectionFactory factory() {
		return this.factory;
	}

	public BusRedis redis() {
		return this.redis;
	}

	public StringRedisTemplate template() {
		return this.template;
	}

	/** Defaults with a fresh namespace and host name {@code test-host}. */
	public BusSettings settings() {
		return this.settings;
	}

	/** Scripts this Redis ran so far ({@code EVALSHA} and {@code EVAL} calls). */
	public long scriptCalls() throws Exception {
		return scriptCalls(this.server);
	}

	/** Scripts a Redis ran so far, from its {@code INFO commandstats} ({@code EVALSHA} and {@code EVAL} calls). */
	public static long scriptCalls(EmbeddedRedisServer server) throws Exception {
		return calls(server, "evalsha", "eval");
	}

	/** Calls of these commands (lower case) a Redis ran so far, inside scripts too, from its {@code INFO commandstats}. */
	public static long calls(EmbeddedRedisServer server, String... commands) throws Exception {
		String stats = RespPing.command(server.host(), server.port(), Duration.ofSeconds(5), "INFO", "commandstats");
		long calls = 0;
		for (String line : stats.split("\r?\n")) {
			for (String command : commands) {
				if (line.startsWith("cmdstat_" + command + ":")) {
					String value = line.substring(line.indexOf("calls=") + 6);
					calls += Long.parseLong(value.substring(0, value.indexOf(',')));
				}
			}
		}
		return calls;
	}

}
