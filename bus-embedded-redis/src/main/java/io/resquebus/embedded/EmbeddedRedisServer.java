package io.resquebus.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway redis-server process on 127.0.0.1, with no persistence and a private temp dir, so
 * that development and tests never need a shared Redis or Docker. Restarting after {@link #stop()}
 * reuses the same port, so clients can reconnect as they would to a real Redis that went away; with
 * {@link Builder#keepDataAcrossRestarts} and persistence turned on (for example
 * {@code arg("--appendonly", "yes", "--appendfsync", "always")}) it also comes back with its data.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

	/** Where the redis-server executable comes from when no explicit {@link Builder#binary} is given. */
	public enum BinarySource {

		/** A configured path ({@code -Dresquebus.redis-server}, {@code RESQUEBUS_REDIS_SERVER}), else PATH, else bundled. */
		AUTO,

		/** Only a {@code redis-server} found on PATH. */
		PATH,

		/** Only the binary shipped in the embedded-redis jar for this OS/arch. */
		BUNDLED

	}

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedRedisServer.class);

	private static final String HOST = RedisProcesses.HOST;

	private static final int PORT_ATTEMPTS = 3;

	private final @Nullable Path explicitBinary;

	private final BinarySource source;

	private final Duration startupTimeout;

	private final List<String> extraArgs;

	private final boolean stopAtJvmExit;

	private final boolean keepData;

	private @Nullable Path binary;

	private int port;

	private @Nullable Process process;

	private @Nullable Path dir;

	private EmbeddedRedisServer(Builder builder) {
		this.explicitBinary = builder.binary;
		this.source = builder.source;
		this.startupTimeout = builder.startupTimeout;
		this.extraArgs = List.copyOf(builder.args);
		this.port = builder.port;
		this.stopAtJvmExit = builder.stopAtJvmExit;
		this.keepData = builder.keepData;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Starts the server and waits until it answers PING; does nothing when already running. */
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		stop(); // cleans up after a process that died on its own
		Path bin = binary();
		boolean pickPort = this.port == 0;
		for (int attempt = 1; ; attempt++) {
			int candidate = pickPort ? RedisProcesses.freePort() : this.port;
			try {
				launch(bin, candidate);
				this.port = candidate;
				return;
			}
			catch (PortTakenException ex) {
				if (!pickPort || attempt >= PORT_ATTEMPTS) {
					throw new IllegalStateException(ex.getMessage(), ex);
				}
				logger.debug("Port {} was taken before redis-server could bind it; retrying", candidate);
			}
		}
	}

	private void launch(Path bin, int candidate) {
		Path kept = this.dir;
		boolean reuse = kept != null && Files.isDirectory(kept);
		Path workDir = (kept != null && reuse) ? kept : RedisProcesses.tempDir("resquebus-redis-");
		Path logFile = workDir.resolve("redis-server.log");
		List<String> command = new ArrayList<>(List.of(bin.toString(), "--port", String.valueOf(candidate),
				"--bind", HOST, "--save", "", "--appendonly", "no", "--protected-mode", "no",
				"--dir", workDir.toString(), "--daemonize", "no"));
		command.addAll(this.extraArgs);
		Process started;
		try {
			started = RedisProcesses.start(command, workDir, logFile);
		}
		catch (IOException ex) {
			if (!reuse) {
				RedisProcesses.deleteRecursively(workDir);
			}
			throw new IllegalStateException("Cannot run redis-server binary " + bin + ": " + ex.getMessage(), ex);
		}
		String failure = awaitReady(started, candidate, workDir);
		if (failure == null) {
			this.process = started;
			this.dir = workDir;
			if (this.stopAtJvmExit) {
				RedisProcesses.closeAtJvmExit(this);
			}
			logger.info("Started redis-server {} on {}:{} (pid {})", bin, HOST, candidate, started.pid());
			return;
		}
		RedisProcesses.kill(started);
		String tail = tail(logFile);
		if (!reuse) {
			RedisProcesses.deleteRecursively(workDir);
		}
		String message = "redis-server " + bin + " on port " + candidate + " " + failure
				+ "; last lines of its log:\n" + tail;
		if ((failure.startsWith("exited") && tail.contains("already in use")) || failure.startsWith("port")) {
			throw new PortTakenException(message);
		}
		throw new IllegalStateException(message);
	}

	/** {@code null} once our process answers PING, else why it did not. */
	private @Nullable String awaitReady(Process started, int candidate, Path workDir) {
		String failure = RedisProcesses.awaitPing(started, candidate, this.startupTimeout);
		if (failure == null && !isOurs(candidate, workDir)) {
			return "port " + candidate + " is answered by another Redis";
		}
		return failure;
	}

	/** Guards the free-port race: a PONG may come from another server that grabbed the port first. */
	private boolean isOurs(int candidate, Path workDir) {
		if (this.extraArgs.contains("--dir")) {
			return true;
		}
		try {
			String reply = RespPing.command(HOST, candidate, Duration.ofSeconds(2), "CONFIG", "GET", "dir");
			return reply != null && reply.contains(workDir.getFileName().toString());
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Sends {@code SHUTDOWN NOSAVE}, waits for the process to exit and removes its temp dir, unless
	 * {@link Builder#keepDataAcrossRestarts} keeps the dir (with its AOF) for the next {@link #start()}.
	 */
	public synchronized void stop() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		this.process = null;
		if (!this.keepData) {
			// a kept dir stays registered, so the JVM hook still deletes it
			RedisProcesses.forgetAtJvmExit(this);
		}
		RedisProcesses.stop(running, this.port);
		if (!this.keepData) {
			deleteDir();
		}
		logger.info("Stopped redis-server on {}:{}", HOST, this.port);
	}

	/** Stops the server and removes its temp dir, data included. */
	@Override
	public synchronized void close() {
		stop();
		deleteDir();
		RedisProcesses.forgetAtJvmExit(this);
	}

	private void deleteDir() {
		if (this.dir != null) {
			RedisProcesses.deleteRecursively(this.dir);
			this.dir = null;
		}
	}

	/** The server's working dir (log, and data when persistence is on); {@code null} when none exists. */
	public synchronized @Nullable Path directory() {
		return this.dir;
	}

	/** The port; 0 before the first start when a free port is to be picked. */
	public synchronized int port() {
		return this.port;
	}

	public String host() {
		return HOST;
	}

	public String url() {
		return "redis://" + HOST + ":" + port();
	}

	/** The redis-server executable, resolved (and for the bundled one, extracted) on first use. */
	public synchronized Path binary() {
		if (this.binary == null) {
			this.binary = RedisBinaries.resolve(this.explicitBinary, this.source);
		}
		return this.binary;
	}

	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	private static String tail(Path logFile) {
		try {
			String[] lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).split("\\R");
			return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 20), lines.length));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/** Builds a server; nothing runs until {@link #start()}. */
	public static final class Builder {

		private int port;

		private @Nullable Path binary;

		private BinarySource source = BinarySource.AUTO;

		private Duration startupTimeout = Duration.ofSeconds(10);

		private final List<String> args = new ArrayList<>();

		private boolean stopAtJvmExit = true;

		private boolean keepData;

		private Builder() {
		}

		/**
		 * Whether {@link EmbeddedRedisServer#stop()} keeps the working dir, so that a restart on
		 * the same port finds the data again (default {@code false}). Useful only with persistence
		 * turned on through {@link #arg}; {@link EmbeddedRedisServer#close()} always deletes the dir.
		 */
		public Builder keepDataAcrossRestarts(boolean keepData) {
			this.keepData = keepData;
			return this;
		}

		/**
		 * Whether a JVM shutdown hook stops the server (the default). Turn it off when a container
		 * stops it in order, after what still uses it: JVM hooks run all at once.
		 */
		public Builder stopAtJvmExit(boolean stopAtJvmExit) {
			this.stopAtJvmExit = stopAtJvmExit;
			return this;
		}

		/** The port to listen on; 0 (the default) picks a free one at first start. */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("port must be 0..65535: " + port);
			}
			this.port = port;
			return this;
		}

		/** An explicit redis-server executable; wins over {@link #binarySource}. */
		public Builder binary(Path binary) {
			this.binary = binary;
			return this;
		}

		public Builder binarySource(BinarySource source) {
			this.source = source;
			return this;
		}

		public Builder startupTimeout(Duration startupTimeout) {
			if (startupTimeout.isNegative() || startupTimeout.isZero()) {
				throw new IllegalArgumentException("startupTimeout must be positive: " + startupTimeout);
			}
			this.startupTimeout = startupTimeout;
			return this;
		}

		/** Extra redis-server arguments, appended after the defaults (so they override them). */
		public Builder arg(String... args) {
			this.args.addAll(List.of(args));
			return this;
		}

		public EmbeddedRedisServer build() {
			return new EmbeddedRedisServer(this);
		}

	}

	private static final class PortTakenException extends RuntimeException {

		PortTakenException(String message) {
			super(message);
		}

	}

}
