package io.resquebus.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process handling the embedded launchers share: free loopback ports, temp dirs, starting a
 * redis-server, waiting for its PING, stopping it ({@code SHUTDOWN NOSAVE}, else by pid) and
 * closing what is still running when the JVM exits.
 */
final class RedisProcesses {

	static final String HOST = "127.0.0.1";

	private static final Logger logger = LoggerFactory.getLogger(RedisProcesses.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final Set<AutoCloseable> CLOSE_AT_EXIT = ConcurrentHashMap.newKeySet();

	static {
		try {
			Runtime.getRuntime().addShutdownHook(new Thread(
					() -> List.copyOf(CLOSE_AT_EXIT).forEach(RedisProcesses::closeQuietly), "embedded-redis-shutdown"));
		}
		catch (IllegalStateException ex) {
			// nothing to register for
		}
	}

	private RedisProcesses() {
	}

	/** Has a JVM shutdown hook close {@code closeable} unless {@link #forgetAtJvmExit} was called. */
	static void closeAtJvmExit(AutoCloseable closeable) {
		CLOSE_AT_EXIT.add(closeable);
	}

	static void forgetAtJvmExit(AutoCloseable closeable) {
		CLOSE_AT_EXIT.remove(closeable);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			logger.debug("Cannot close {} at JVM exit: {}", closeable, ex.toString());
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot find a free port on " + HOST, ex);
		}
	}

	static Path tempDir(String prefix) {
		try {
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot create a temp dir for redis-server", ex);
		}
	}

	/** Starts {@code command} in {@code dir}, its output (stderr included) going to {@code log}. */
	static Process start(List<String> command, Path dir, Path log) throws IOException {
		return new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
	}

	/** {@code null} once the process answers PING on its port, else why it did not. */
	static @Nullable String awaitPing(Process process, int port, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (!process.isAlive()) {
				return "exited with code " + process.exitValue() + " during startup";
			}
			if (RespPing.ping(HOST, port, Duration.ofMillis(500))) {
				return null;
			}
			if (System.nanoTime() - deadline > 0) {
				return "did not answer PING within " + timeout;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "startup was interrupted";
			}
		}
	}

	/** Sends {@code SHUTDOWN NOSAVE} to a live process on its port and kills it when it does not exit. */
	static void stop(Process process, int port) {
		if (!process.isAlive()) {
			return;
		}
		try {
			RespPing.command(HOST, port, Duration.ofSeconds(2), "SHUTDOWN", "NOSAVE");
		}
		catch (IOException ex) {
			// the server closes the connection instead of replying
		}
		if (!waitFor(process, STOP_TIMEOUT)) {
			kill(process);
		}
	}

	/** Asks the process to end, then forces it when it does not within a few seconds. */
	static void kill(Process process) {
		process.destroy();
		if (!waitFor(process, STOP_TIMEOUT)) {
			process.destroyForcibly();
			waitFor(process, STOP_TIMEOUT);
		}
	}

	static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !process.isAlive();
		}
	}

	/** Polls {@code condition} until it holds, else fails with {@code failure} once the timeout is over. */
	static void await(BooleanSupplier condition, Duration timeout, long pollMillis, Supplier<String> failure) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(failure.get());
			}
			sleep(pollMillis);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	static void deleteRecursively(Path root) {
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot delete {}: {}", root, ex.toString());
		}
	}

}
