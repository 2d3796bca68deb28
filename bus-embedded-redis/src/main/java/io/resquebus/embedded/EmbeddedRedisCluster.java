package io.resquebus.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway Redis Cluster for tests: masters and one replica each, from the {@code redis-server}
 * and {@code redis-cli} binaries (no Docker), on free loopback ports, joined with
 * {@code redis-cli --cluster create} and ready once every node reports {@code cluster_state:ok}.
 * It costs seconds to start: share one per test class. {@link #available()} tells whether both
 * binaries are there, so tests can skip cleanly.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedRedisCluster.class);

	private static final String HOST = RedisProcesses.HOST;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private final int masters;

	private final List<EmbeddedRedisServer> nodes = new ArrayList<>();

	/** The cluster bus port of each node, in the order of {@link #nodes}. */
	private final List<Integer> busPorts = new ArrayList<>();

	private EmbeddedRedisCluster(int masters) {
		this.masters = masters;
	}

	/** Whether {@code redis-server} and {@code redis-cli} are on PATH, which a cluster needs. */
	public static boolean available() {
		return RedisBinaries.onPath() != null && redisCli() != null;
	}

	/** Starts 3 masters with a replica each and waits until the cluster is ready. */
	public static EmbeddedRedisCluster start() {
		return start(3);
	}

	/**
	 * Starts {@code masters} masters with a replica each; fewer than 3 (which {@code redis-cli --cluster
	 * create} refuses) are joined with {@code CLUSTER ADDSLOTSRANGE}, {@code MEET} and {@code REPLICATE}.
	 */
	public static EmbeddedRedisCluster start(int masters) {
		EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(masters);
		try {
			cluster.launch();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	private void launch() {
		Path cli = redisCli();
		if (cli == null) {
			throw new IllegalStateException("No redis-cli on PATH, which a test cluster needs");
		}
		for (int i = 0; i < this.masters * 2; i++) {
			int clusterPort = RedisProcesses.freePort();
			EmbeddedRedisServer node = EmbeddedRedisServer.builder()
				.binarySource(EmbeddedRedisServer.BinarySource.PATH)
				.arg("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
						"2000", "--cluster-port", Integer.toString(clusterPort), "--cluster-require-full-coverage",
						"no")
				.build();
			node.start();
			this.nodes.add(node);
			this.busPorts.add(clusterPort);
		}
		if (this.masters >= 3) {
			List<String> command = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
			for (EmbeddedRedisServer node : this.nodes) {
				command.add(HOST + ":" + node.port());
			}
			command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			run(command);
		}
		else {
			joinByHand(); // redis-cli --cluster create wants at least 3 masters
		}
		awaitReady();
		logger.info("Started a Redis Cluster of {} masters with a replica each on ports {}", this.masters, ports());
	}

	/** Masters get equal slot ranges, every node meets the first, each replica follows its master. */
	private void joinByHand() {
		int first = this.nodes.get(0).port();
		String firstBus = Integer.toString(this.busPorts.get(0));
		for (int m = 0; m < this.masters; m++) {
			int from = m * 16384 / this.masters;
			int to = (m + 1) * 16384 / this.masters - 1;
			require(this.nodes.get(m).port(), "CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to));
		}
		for (EmbeddedRedisServer node : this.nodes.subList(1, this.nodes.size())) {
			require(node.port(), "CLUSTER", "MEET", HOST, Integer.toString(first), firstBus);
		}
		for (int r = 0; r < this.masters; r++) {
			String masterId = require(this.nodes.get(r).port(), "CLUSTER", "MYID");
			int replica = this.nodes.get(this.masters + r).port();
			// it may not know the master yet
			RedisProcesses.await(() -> "OK".equals(command(replica, "CLUSTER", "REPLICATE", masterId)), READY_TIMEOUT,
					100, () -> "Node " + replica + " cannot replicate " + masterId);
		}
	}

	private String require(int port, String... args) {
		String reply = command(port, args);
		if (reply == null || reply.startsWith("-")) {
			throw new IllegalStateException(String.join(" ", args) + " on port " + port + " failed: " + reply);
		}
		return reply;
	}

	private void awaitReady() {
		RedisProcesses.await(() -> this.nodes.stream().allMatch((node) -> {
			String info = command(node.port(), "CLUSTER", "INFO");
			return info != null && info.contains("cluster_state:ok")
					&& info.contains("cluster_known_nodes:" + this.nodes.size())
					&& info.contains("cluster_slots_ok:16384");
		}), READY_TIMEOUT, 100, () -> "Redis Cluster on ports " + ports() + " not ready within " + READY_TIMEOUT);
	}

	/** The ports of every node, masters and replicas, as started. */
	public List<Integer> ports() {
		return this.nodes.stream().map(EmbeddedRedisServer::port).toList();
	}

	/** {@code 127.0.0.1:<port>} of every node, as {@code spring.data.redis.cluster.nodes} takes them. */
	public List<String> nodes() {
		return this.nodes.stream().map((node) -> HOST + ":" + node.port()).toList();
	}

	/** The ports of the nodes that are masters now (a failover changes them). */
	public List<Integer> masterPorts() {
		List<Integer> masters = new ArrayList<>();
		for (EmbeddedRedisServer node : this.nodes) {
			String role = command(node.port(), "ROLE");
			if (role != null && role.startsWith("master")) {
				masters.add(node.port());
			}
		}
		return masters;
	}

	/**
	 * Sends a command to one node and returns its reply as text (arrays flattened one element a
	 * line), or {@code null} when the node does not answer.
	 */
	public @Nullable String command(int port, String... args) {
		try {
			return RespPing.command(HOST, port, Duration.ofSeconds(5), args);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** Kills a node with SIGKILL, as a crash would: no shutdown, no save. */
	public void kill(int port) {
		String info = command(port, "INFO", "server");
		if (info == null) {
			return;
		}
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("process_id:")) {
				long pid = Long.parseLong(line.substring("process_id:".length()).trim());
				ProcessHandle.of(pid).ifPresent((process) -> {
					process.destroyForcibly();
					process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
				});
			}
		}
	}

	/** Waits until every live node reports {@code cluster_state:ok} (after a failover). */
	public void awaitOk(Duration timeout) {
		RedisProcesses.await(() -> this.nodes.stream().allMatch((node) -> {
			String info = command(node.port(), "CLUSTER", "INFO");
			return info == null || info.contains("cluster_state:ok");
		}), timeout, 100, () -> "Redis Cluster not ok within " + timeout);
	}

	/** Stops every node by its process (SHUTDOWN NOSAVE first), removing their directories. */
	@Override
	public void close() {
		for (EmbeddedRedisServer node : this.nodes) {
			try {
				node.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not stop cluster node on port {}: {}", node.port(), ex.getMessage());
			}
		}
		this.nodes.clear();
	}

	private static void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(
						"redis-cli --cluster create failed: " + new String(output, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + command.get(0) + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating the cluster", ex);
		}
	}

	static @Nullable Path redisCli() {
		Path server = RedisBinaries.onPath();
		if (server != null && Files.isExecutable(server.resolveSibling("redis-cli"))) {
			return server.resolveSibling("redis-cli");
		}
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(java.io.File.pathSeparator)) {
			if (!dir.isBlank()) {
				Path candidate = Path.of(dir.trim(), "redis-cli");
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate.toAbsolutePath();
				}
			}
		}
		return null;
	}

}
