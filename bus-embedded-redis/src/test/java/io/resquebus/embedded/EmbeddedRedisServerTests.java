package io.resquebus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.resquebus.embedded.EmbeddedRedisServer.BinarySource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRedisServerTests {

	@TempDir
	Path tmp;

	@Test
	void startsTheBundledBinaryAndAnswersPing() {
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder().binarySource(BinarySource.BUNDLED).build()) {
			server.start();

			assertThat(server.binary().getFileName().toString()).startsWith("redis-server-");
			assertThat(server.isRunning()).isTrue();
			assertThat(server.port()).isPositive();
			assertThat(server.url()).isEqualTo("redis://127.0.0.1:" + server.port());
			assertThat(RespPing.ping(server.host(), server.port())).isTrue();
		}
	}

	@Test
	void startsRedisServerFromPath() {
		Path onPath = RedisBinaries.onPath();
		assumeTrue(onPath != null, "no redis-server on PATH");
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder().binarySource(BinarySource.PATH).build()) {
			server.start();

			assertThat(server.binary()).isEqualTo(onPath);
			assertThat(RespPing.ping(server.host(), server.port())).isTrue();
		}
	}

	@Test
	void picksDistinctFreePortsForTwoServers() {
		try (EmbeddedRedisServer first = EmbeddedRedisServer.builder().build();
				EmbeddedRedisServer second = EmbeddedRedisServer.builder().build()) {
			first.start();
			second.start();

			assertThat(first.port()).isNotEqualTo(second.port());
			assertThat(RespPing.ping(first.host(), first.port())).isTrue();
			assertThat(RespPing.ping(second.host(), second.port())).isTrue();
		}
	}

	@Test
	void restartAfterStopKeepsThePortAndAnswersAgain() {
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder().build()) {
			server.start();
			int port = server.port();
			server.stop();
			assertThat(server.isRunning()).isFalse();

			server.start();

			assertThat(server.port()).isEqualTo(port);
			assertThat(RespPing.ping(server.host(), port)).isTrue();
		}
	}

	@Test
	void keepsItsDataAcrossARestartWhenAskedToAndDeletesItOnClose() throws IOException {
		Path dir;
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder().keepDataAcrossRestarts(true)
				.arg("--appendonly", "yes", "--appendfsync", "always").build()) {
			server.start();
			int port = server.port();
			RespPing.command(server.host(), port, Duration.ofSeconds(2), "SET", "marker", "kept");
			dir = server.directory();
			server.stop();
			assertThat(dir).isDirectory();

			server.start();

			assertThat(server.port()).isEqualTo(port);
			assertThat(server.directory()).isEqualTo(dir);
			assertThat(RespPing.command(server.host(), port, Duration.ofSeconds(2), "GET", "marker")).isEqualTo("kept");
		}
		assertThat(dir).doesNotExist();
	}

	@Test
	void deletesItsDirOnStopByDefault() {
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().build();
		server.start();
		Path dir = server.directory();
		assertThat(dir).isDirectory();

		server.stop();

		assertThat(dir).doesNotExist();
		assertThat(server.directory()).isNull();
	}

	@Test
	void startIsIdempotentWhileRunning() throws IOException {
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder().build()) {
			server.start();
			RespPing.command(server.host(), server.port(), Duration.ofSeconds(2), "SET", "marker", "kept");

			server.start();

			assertThat(RespPing.command(server.host(), server.port(), Duration.ofSeconds(2), "GET", "marker"))
					.isEqualTo("kept");
		}
	}

	@Test
	void stopReallyFreesThePort() {
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().build();
		server.start();
		int port = server.port();

		server.stop();

		assertThat(server.isRunning()).isFalse();
		assertThatThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			}
		}).isInstanceOf(IOException.class);
	}

	@Test
	void passesExtraArgumentsToRedisServer() throws IOException {
		try (EmbeddedRedisServer server = EmbeddedRedisServer.builder().arg("--maxmemory", "12mb").build()) {
			server.start();

			assertThat(RespPing.command(server.host(), server.port(), Duration.ofSeconds(2), "CONFIG", "GET", "maxmemory"))
					.isEqualTo("maxmemory\n" + 12 * 1024 * 1024);
		}
	}

	@Test
	void badExplicitBinaryFailsWithAMessageNamingThePath() {
		Path missing = tmp.resolve("no-such-redis-server");
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().binary(missing).build();

		assertThatThrownBy(server::start)
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(missing.toString());
		assertThat(server.isRunning()).isFalse();
	}

	@Test
	void takenExplicitPortFailsWithTheServerLog() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			EmbeddedRedisServer server = EmbeddedRedisServer.builder().port(taken.getLocalPort()).build();

			assertThatThrownBy(server::start)
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining(server.binary().toString())
					.hasMessageContaining("already in use");
			assertThat(server.isRunning()).isFalse();
		}
	}

	@Test
	@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the fake redis-server is a POSIX shell script")
	void binaryThatExitsEarlyFailsWithTheLastLinesOfItsLog() throws IOException {
		Path fake = script("fake-redis", "echo 'boom from fake redis'", "exit 3");
		EmbeddedRedisServer server = EmbeddedRedisServer.builder().binary(fake).build();

		assertThatThrownBy(server::start)
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(fake.toString())
				.hasMessageContaining("exited with code 3")
				.hasMessageContaining("boom from fake redis");
	}

	@Test
	@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the fake redis-server is a POSIX shell script")
	void binaryThatNeverAnswersTimesOutAndIsKilled() throws IOException {
		Path pidFile = tmp.resolve("pid");
		Path fake = script("silent-redis", "echo $$ > '" + pidFile + "'", "exec sleep 60");
		EmbeddedRedisServer server = EmbeddedRedisServer.builder()
				.binary(fake).startupTimeout(Duration.ofMillis(300)).build();

		assertThatThrownBy(server::start)
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(fake.toString())
				.hasMessageContaining("did not answer PING");
		long pid = Long.parseLong(Files.readString(pidFile).trim());
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
	}

	private Path script(String name, String... lines) throws IOException {
		Path file = tmp.resolve(name);
		Files.writeString(file, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
		assertThat(file.toFile().setExecutable(true)).isTrue();
		return file;
	}
}
