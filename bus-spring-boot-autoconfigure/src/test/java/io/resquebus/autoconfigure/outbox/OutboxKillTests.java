package io.resquebus.autoconfigure.outbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.resquebus.embedded.TestRedis;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process dies by SIGKILL after its transaction committed and before the outbox sent the
 * event: the order and its publication are in the database (an H2 server in this JVM, which
 * outlives the process as a database server would), nothing is on the bus; an application
 * started again on the same database sends the event once, with the bus_id the dead process gave
 * it.
 */
@EnabledIf("io.resquebus.autoconfigure.outbox.Outbox#modulithPresent")
class OutboxKillTests {

	/** The properties of both the killed process and the restarted application. */
	static String[] properties(String jdbcUrl, String redisUrl, String namespace) {
		return new String[] { "outbox.test.jdbc-url=" + jdbcUrl, "spring.data.redis.url=" + redisUrl,
				"resquebus.namespace=" + namespace, "resquebus.app-key=outbox_app", "resquebus.worker.enabled=false",
				"resquebus.driver.enabled=false", "resquebus.scheduler.enabled=false",
				"resquebus.register-subscriptions=false", "spring.main.banner-mode=off" };
	}

	@Test
	void sendsWhatAProcessKilledBetweenCommitAndSendLeftOnceItRestarts(@TempDir Path dir) throws Exception {
		Server database = Server.createTcpServer("-tcpPort", Integer.toString(freePort()), "-ifNotExists").start();
		try {
			String jdbcUrl = "jdbc:h2:tcp://localhost:" + database.getPort() + "/mem:outbox-kill-" + UUID.randomUUID()
					+ ";DB_CLOSE_DELAY=-1";
			String redisUrl = TestRedis.shared().url();
			String namespace = "test-outbox-kill-" + UUID.randomUUID().toString().substring(0, 8);
			Path log = dir.resolve("child.log");
			Process child = start(log, jdbcUrl, redisUrl, namespace);
			String busId;
			try {
				busId = await().atMost(Duration.ofSeconds(90)).until(() -> committed(child, log), (id) -> id != null);
				child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no after-commit send
				assertThat(child.waitFor()).as("killed by SIGKILL").isEqualTo(137);
			}
			finally {
				child.destroyForcibly();
			}
			run(jdbcUrl, redisUrl, namespace, busId);
		}
		finally {
			database.stop();
		}
	}

	private void run(String jdbcUrl, String redisUrl, String namespace, String busId) {
		JdbcTemplate database = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl));
		List<Map<String, Object>> afterKill = Outbox.publications(database, busId);
		Integer orders = database.queryForObject("select count(*) from orders where id = 7", Integer.class);
		long copiesBeforeRestart = incoming(namespace, busId);
		long started = System.nanoTime();
		try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(OutboxApp.class)
			.properties(properties(jdbcUrl, redisUrl, namespace))
			.properties("resquebus.publish.outbox.stale-after=1s", "resquebus.publish.outbox.check-interval=100ms")
			.run()) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> Outbox.publications(database, busId).get(0).get("COMPLETION_DATE") != null);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		long copies = incoming(namespace, busId);
		System.out.printf("FAULT outbox kill -9 between commit and send: orderCommitted=%d statusAfterKill=%s "
				+ "copiesBeforeRestart=%d secondsToCompleteFromRestart=%.2f copiesAfterRestart=%d (same bus_id)%n",
				orders, afterKill.get(0).get("STATUS"), copiesBeforeRestart, seconds, copies);
		assertThat(orders).isEqualTo(1);
		assertThat(afterKill).singleElement()
			.satisfies((row) -> assertThat(row.get("COMPLETION_DATE")).as("incomplete after the kill").isNull());
		assertThat(copiesBeforeRestart).isZero();
		assertThat(copies).isEqualTo(1);
	}

	/** How many jobs with the bus_id are on the namespace's bus_incoming, read with a connection of its own. */
	private static long incoming(String namespace, String busId) {
		TestRedis.RedisEndpoint endpoint = TestRedis.shared();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
		factory.afterPropertiesSet();
		factory.start();
		try {
			return Outbox.incoming(new StringRedisTemplate(factory), new BusKeys(namespace), new WireCodec(), busId);
		}
		finally {
			factory.destroy();
		}
	}

	private static Process start(Path log, String jdbcUrl, String redisUrl, String namespace) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// Under surefire the class path may be a manifest-only booter jar; java follows its Class-Path.
		List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), OutboxCrashMain.class.getName(), jdbcUrl, redisUrl, namespace);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** The bus_id the child printed once its transaction committed, or null; fails if it died. */
	private static String committed(Process child, Path log) throws IOException {
		String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
		for (String line : output.split("\n")) {
			if (line.startsWith("COMMITTED ")) {
				return line.substring("COMMITTED ".length()).trim();
			}
		}
		if (!child.isAlive()) {
			throw new AssertionError("The child exited with " + child.exitValue() + ":\n" + output);
		}
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
