package io.resquebus.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import io.lettuce.core.RedisException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisListCommands.Direction;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisErrors} against the replies real Redis servers give during a failover, as Spring Data
 * Redis and Lettuce hand them over.
 */
class RedisErrorsTests {

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void writesToAReplicaAreTransientReadonlyErrorsInScriptsToo() {
		EmbeddedRedisServer master = server();
		EmbeddedRedisServer replica = server("--replicaof", master.host(), String.valueOf(master.port()));
		Throwable plain = failure(replica, (connection) -> connection.stringCommands().set(b("k"), b("v")));
		Throwable script = failure(replica, (connection) -> connection.scriptingCommands()
			.eval(b("return redis.call('SET', KEYS[1], 'v')"), ReturnType.STATUS, 1, b("k")));
		assertThat(RedisErrors.transientReason(plain)).isEqualTo("READONLY");
		assertThat(RedisErrors.transientReason(script)).isEqualTo("READONLY");
	}

	@Test
	void writesToAMasterWithoutEnoughReplicasAreTransientNoreplicasErrors() {
		EmbeddedRedisServer master = server("--min-replicas-to-write", "1", "--min-replicas-max-lag", "1");
		Throwable plain = failure(master, (connection) -> connection.listCommands().rPush(b("q"), b("job")));
		Throwable script = failure(master, (connection) -> connection.scriptingCommands()
			.eval(b("return redis.call('RPUSH', KEYS[1], 'job')"), ReturnType.INTEGER, 1, b("q")));
		assertThat(RedisErrors.transientReason(plain)).isEqualTo("NOREPLICAS");
		assertThat(RedisErrors.transientReason(script)).isEqualTo("NOREPLICAS");
	}

	@Test
	void aBlockingFetchEndedByTheServerIsATransientUnblockedError() throws Exception {
		EmbeddedRedisServer server = server();
		LettuceConnectionFactory factory = factory(server);
		RedisConnection blocked = factory.getConnection();
		this.resources.add(blocked::close);
		CompletableFuture<Throwable> fetch = CompletableFuture.supplyAsync(() -> catchThrowable(() -> blocked
			.listCommands().bLMove(b("q"), b("inflight"), Direction.LEFT, Direction.RIGHT, 5)));
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			String id = blockedClientId(server);
			return id != null && "1".equals(RespPing.command(server.host(), server.port(), Duration.ofSeconds(1),
					"CLIENT", "UNBLOCK", id, "ERROR"));
		});
		assertThat(RedisErrors.transientReason(fetch.get(5, TimeUnit.SECONDS))).isEqualTo("UNBLOCKED");
	}

	@Test
	void aReplicaWithoutItsMasterIsATransientMasterdownError() {
		EmbeddedRedisServer master = server();
		EmbeddedRedisServer replica = server("--replicaof", master.host(), String.valueOf(master.port()),
				"--replica-serve-stale-data", "no");
		await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(RespPing.command(replica.host(),
				replica.port(), Duration.ofSeconds(1), "INFO", "replication")).contains("master_link_status:up"));
		master.stop();
		Throwable read = failure(replica, (connection) -> connection.stringCommands().get(b("k")));
		assertThat(RedisErrors.transientReason(read)).isEqualTo("MASTERDOWN");
	}

	@Test
	void aRedisThatCannotBeReachedIsATransientConnectionFailure() throws Exception {
		EmbeddedRedisServer server = server();
		LettuceConnectionFactory factory = factory(server);
		server.stop();
		Throwable unreachable = catchThrowable(() -> factory.getConnection().ping());
		assertThat(RedisErrors.transientReason(unreachable)).isEqualTo("connection");
	}

	@Test
	void aMasterReplicaConnectionThatKnowsNoMasterYetIsTransient() {
		RedisSystemException translated = new RedisSystemException("Redis command failed",
				new RedisException("Master is currently unknown: [RedisMasterReplicaNode [role=REPLICA]]"));
		assertThat(RedisErrors.transientReason(translated)).isEqualTo("no-master");
	}

	@Test
	void refusedCredentialsAreNotTransientThoughLettuceReportsAFailedConnection() throws Exception {
		EmbeddedRedisServer server = server();
		assertThat(RespPing.command(server.host(), server.port(), Duration.ofSeconds(2), "ACL", "SETUSER", "bus", "on",
				">right-secret", "~*", "+@all")).isEqualTo("OK");
		RedisStandaloneConfiguration wrong = new RedisStandaloneConfiguration(server.host(), server.port());
		wrong.setUsername("bus");
		wrong.setPassword("wrong-secret");
		LettuceConnectionFactory factory = new LettuceConnectionFactory(wrong,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(10)).build());
		factory.afterPropertiesSet();
		factory.start();
		this.resources.add(factory::destroy);
		Throwable refused = catchThrowable(() -> factory.getConnection().ping());
		assertThat(refused).hasStackTraceContaining("WRONGPASS");
		assertThat(RedisErrors.transientReason(refused)).isNull();
	}

	@Test
	void otherErrorsAreNotTransient() {
		EmbeddedRedisServer server = server();
		Throwable wrongType = failure(server, (connection) -> {
			connection.stringCommands().set(b("s"), b("v"));
			connection.listCommands().rPush(b("s"), b("job"));
		});
		Throwable scriptError = failure(server, (connection) -> connection.scriptingCommands()
			.eval(b("return redis.error_reply('READONLY-ish but not quite')"), ReturnType.STATUS, 0));
		assertThat(RedisErrors.transientReason(wrongType)).isNull();
		assertThat(RedisErrors.transientReason(scriptError)).isNull();
		assertThat(RedisErrors.transientReason(new IllegalStateException("READONLYX"))).isNull();
	}

	private static @Nullable String blockedClientId(EmbeddedRedisServer server) throws Exception {
		String clients = RespPing.command(server.host(), server.port(), Duration.ofSeconds(1), "CLIENT", "LIST");
		for (String line : String.valueOf(clients).split("\n")) {
			if (line.contains("cmd=blmove")) {
				return line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
			}
		}
		return null;
	}

	private Throwable failure(EmbeddedRedisServer server, Consumer<RedisConnection> command) {
		LettuceConnectionFactory factory = factory(server);
		try (RedisConnection connection = factory.getConnection()) {
			Throwable failure = catchThrowable(() -> command.accept(connection));
			assertThat(failure).isNotNull();
			return failure;
		}
	}

	private LettuceConnectionFactory factory(EmbeddedRedisServer server) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(server.host(), server.port()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(10)).build());
		factory.afterPropertiesSet();
		factory.start();
		this.resources.add(factory::destroy);
		return factory;
	}

	private EmbeddedRedisServer server(String... args) {
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().arg(args).build();
		server.start();
		this.resources.add(server);
		return server;
	}

	private static byte[] b(String value) {
		return BusRedis.bytes(value);
	}

}
