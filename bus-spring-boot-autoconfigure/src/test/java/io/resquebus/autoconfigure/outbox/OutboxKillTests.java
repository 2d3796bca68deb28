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
 * A process dies by SIGKILL after its transaction committed: the order and its incomplete
 * publication are in the database (an H2 server in this JVM, which outlives the process as a
 * database server would), and an application started again on the same database sends the event
 * with the bus_id the dead process gave it. Killed before the send, the bus gets it once; killed
 * after Redis took it but before the completion was recorded, twice with the same bus_id, as
 * at-least-once allows.
 */
@EnabledIf("io.resquebus.autoconfigure.outbox.Outbox#modulithPresent")
class OutboxKillTests {

	/** The properties of both the killed process and the restarted application. */
	static String[] properties(String jdbcUrl, String redisUrl, String namespace) {
		return new String[] { "outbox.test.jdbc-url=" + jdbcUrl, "spring.data.redis.url=" + redisUrl,
				"resquebus.namespace=" + namespace, "resquebus.app-key=outbox_app", "resquebus.worker.enabled=false",
				"resquebus.driver.enabled=false", "resquebus.scheduler.enabled=false",
				"resquebus.register-subscriptions=false", "spring.main.banner-mode=off",
				"spring.main.web-application-type=none" };
	}

	@Test
	void sendsWhatAProcessKilledBetweenCommitAndSendLeftOnceItRestarts(@TempDir Path dir) throws Exception {
		Outcome outcome = killAndRestart(dir, "after-commit");

		System.out.printf("FAULT outbox kill -9 between commit and send: %s%n", outcome);
		assertThat(outcome.ordersCommitted()).isEqualTo(1);
		assertThat(outcome.completedAfterKill()).as("incomplete after the kill").isFalse();
		assertThat(outcome.copiesBeforeRestart()).isZero();
		assertThat(outcome.copiesAfterRestart()).isEqualTo(1);
	}

	/** The duplicate that at-least-once allows: Redis took the event, the completion was never recorded. */
	@Test
	void sendsAgainWithTheSameBusIdWhatAProcessKilledBeforeRecordingTheCompletionHadSent(@TempDir Path dir)
			throws Exception {
		Outcome outcome = killAndRestart(dir, "after-send");

		System.out.printf("FAULT outbox kill -9 between send and completion: %s%n", outcome);
		assertThat(outcome.ordersCommitted()).isEqualTo(1);
		assertThat(outcome.completedAfterKill()).as("incomplete after the kill").isFalse();
		assertThat(outcome.copiesBeforeRestart()).isEqualTo(1);
		assertThat(outcome.copiesAfterRestart()).as("both copies carry the bus_id").isEqualTo(2);
	}

	private Outcome killAndRestart(Path dir, String mode) throws Exception {
		Server database = Server.createTcpServer("-tcpPort", Integer.toString(freePort()), "-ifNotExists").start();
		try {
			String jdbcUrl = "jdbc:h2:tcp://localhost:" + database.getPort() + "/mem:outbox-kill-" + UUID.randomUUID()
					+ ";DB_CLOSE_DELAY=-1";
			String redisUrl = TestRedis.shared().url();
			String namespace = "test-outbox-kill-" + UUID.randomUUID().toString().substring(0, 8);
			Path log = dir.resolve("child.log");
			Process child = start(log, mode, jdbcUrl, redisUrl, namespace);
			String busId;
			try {
				String hangsAt = mode.equals("after-send") ? "SENT " : "COMMITTED ";
				await().atMost(Duration.ofSeconds(90)).until(() -> printed(child, log, hangsAt) != null);
				busId = printed(child, log, "COMMITTED ");
				child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, nothing more from the process
				assertThat(child.waitFor()).as("killed by SIGKILL").isEqualTo(137);
			}
			finally {
				child.destroyForcibly();
			}
			return restart(jdbcUrl, redisUrl, namespace, busId);
		}
		finally {
			database.stop();
		}
	}

	private Outcome restart(String jdbcUrl, String redisUrl, String namespace, String busId) {
		JdbcTemplate database = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl));
		List<Map<String, Object>> afterKill = Outbox.publications(database, busId);
		assertThat(afterKill).hasSize(1);
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
		return new Outcome(orders, String.valueOf(afterKill.get(0).get("STATUS")),
				afterKill.get(0).get("COMPLETION_DATE") != null, copiesBeforeRestart, seconds,
				incoming(namespace, busId));
	}

	record Outcome(int ordersCommitted, String statusAfterKill, boolean completedAfterKill, long copiesBeforeRestart,
			double secondsToCompleteFromRestart, long copiesAfterRestart) {

		@Override
		public String toString() {
			return String.format("orderCommitted=%d statusAfterKill=%s copiesBeforeRestart=%d "
					+ "secondsToCompleteFromRestart=%.2f copiesAfterRestart=%d (same bus_id)", this.ordersCommitted,
					this.statusAfterKill, this.copiesBeforeRestart, this.secondsToCompleteFromRestart,
					this.copiesAfterRestart);
		}

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

	private static Process start(Path log, String mode, String jdbcUrl, String redisUrl, String namespace)
			throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// Under surefire the class path may be a manifest-only booter jar; java follows its Class-Path.
		List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), OutboxCrashMain.class.getName(), mode, jdbcUrl, redisUrl,
				namespace);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** What the child printed after the prefix, or null; fails if the child died. */
	private static String printed(Process child, Path log, String prefix) throws IOException {
		String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
		for (String line : output.split("\n")) {
			if (line.startsWith(prefix)) {
				return line.substring(prefix.length()).trim();
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
