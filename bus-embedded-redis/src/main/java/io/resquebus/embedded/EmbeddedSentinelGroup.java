package io.resquebus.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.resquebus.embedded.EmbeddedRedisServer.BinarySource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway Redis Sentinel deployment on 127.0.0.1, from the {@code redis-server} binary alone:
 * one master, replicas and Sentinels ({@code redis-server <conf> --sentinel}), each process with a
 * config file in a temp dir of its own (Sentinel rewrites its file), on free ports. {@link #start()}
 * returns once every replica's link is up, every Sentinel sees the others and the master counts
 * every replica online and in sync ({@link #awaitReplicasInSync(Duration)}); {@link #close()}
 * stops them all ({@code SHUTDOWN NOSAVE}, else by pid) and deletes their dirs. For fault tests:
 * {@link #failover()}, {@link #pause(int)} / {@link #resume(int)} ({@code kill -STOP}/{@code -CONT}).
 */
public final class EmbeddedSentinelGroup implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedSentinelGroup.class);

	private static final String HOST = RedisProcesses.HOST;

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

	private final String masterName;

	private final int replicas;

	private final int sentinels;

	private final Duration downAfter;

	private final Duration failoverTimeout;

	private final List<String> dataNodeConfig;

	private final Duration startupTimeout;

	private final @Nullable Path explicitBinary;

	private final List<Node> dataNodes = new ArrayList<>();

	private final List<Node> sentinelNodes = new ArrayList<>();

	private EmbeddedSentinelGroup(Builder builder) {
		this.masterName = builder.masterName;
		this.replicas = builder.replicas;
		this.sentinels = builder.sentinels;
		this.downAfter = builder.downAfter;
		this.failoverTimeout = builder.failoverTimeout;
		this.dataNodeConfig = List.copyOf(builder.dataNodeConfig);
		this.startupTimeout = builder.startupTimeout;
		this.explicitBinary = builder.binary;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Whether a redis-server binary can be found here (PATH, configured path or bundled), for test assumptions. */
	public static boolean isAvailable() {
		try {
			RedisBinaries.resolve(null, BinarySource.AUTO);
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Starts the master, the replicas and the Sentinels, and waits until the group is fully linked. */
	public synchronized void start() {
		if (!this.dataNodes.isEmpty()) {
			return;
		}
		Path binary = RedisBinaries.resolve(this.explicitBinary, BinarySource.AUTO);
		RedisProcesses.closeAtJvmExit(this);
		try {
			Node master = launch(binary, "master", (port) -> dataNodeConfig(port, null), false);
			this.dataNodes.add(master);
			for (int i = 0; i < this.replicas; i++) {
				this.dataNodes.add(launch(binary, "replica-" + i, (port) -> dataNodeConfig(port, master.port), false));
			}
			for (int i = 0; i < this.sentinels; i++) {
				this.sentinelNodes.add(launch(binary, "sentinel-" + i, (port) -> sentinelConfig(port, master.port), true));
			}
			await("replicas linked to the master", this.startupTimeout,
					() -> this.dataNodes.stream().skip(1).allMatch((node) -> linkUp(node.port)));
			await("Sentinels seeing each other and every replica", this.startupTimeout,
					() -> this.sentinelNodes.stream().allMatch(this::seesGroup));
			awaitReplicasInSync(this.startupTimeout);
			logger.info("Started Sentinel group '{}': master {}, replicas {}, sentinels {}", this.masterName,
					master.port, dataPorts().subList(1, this.dataNodes.size()), sentinelPorts());
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** The name the Sentinels monitor the master under. */
	public String masterName() {
		return this.masterName;
	}

	public String host() {
		return HOST;
	}

	/** The ports of the master and replicas, in start order (the first was the first master). */
	public synchronized List<Integer> dataPorts() {
		return this.dataNodes.stream().map((node) -> node.port).toList();
	}

	public synchronized List<Integer> sentinelPorts() {
		return this.sentinelNodes.stream().map((node) -> node.port).toList();
	}

	/** The Sentinels as {@code host:port,host:port,...}, the shape of {@code spring.data.redis.sentinel.nodes}. */
	public String sentinelNodes() {
		StringJoiner nodes = new StringJoiner(",");
		sentinelPorts().forEach((port) -> nodes.add(HOST + ":" + port));
		return nodes.toString();
	}

	/** The master's port as the first Sentinel that answers tells it now. */
	public int masterPort() {
		for (int port : sentinelPorts()) {
			String reply = call(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.masterName);
			if (reply != null && !reply.startsWith("-")) {
				return Integer.parseInt(reply.split("\n")[1].trim());
			}
		}
		throw new IllegalStateException("No Sentinel tells the master of '" + this.masterName + "'");
	}

	/** The pid of the data node on a port. */
	public synchronized long pid(int port) {
		return this.dataNodes.stream().filter((node) -> node.port == port).findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No data node on port " + port)).process.pid();
	}

	/** Sends one command to a process of the group; errors come back as text starting with {@code -}. */
	public @Nullable String call(int port, String... command) {
		try {
			return RespPing.command(HOST, port, CALL_TIMEOUT, command);
		}
		catch (IOException ex) {
			return "-IO " + ex.getMessage();
		}
	}

	/** One field of {@code INFO replication} of a data node, or {@code null} when it does not answer. */
	public @Nullable String replicationInfo(int port, String field) {
		return replicationInfo(port).get(field);
	}

	/** The fields of {@code INFO replication} of a data node; empty when it does not answer. */
	private Map<String, String> replicationInfo(int port) {
		String info = call(port, "INFO", "replication");
		Map<String, String> fields = new LinkedHashMap<>();
		if (info == null || info.startsWith("-")) {
			return fields;
		}
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	/** Asks a Sentinel for a failover ({@code SENTINEL FAILOVER}), which needs no agreement of the others. */
	public void failover() {
		String reply = call(sentinelPorts().get(0), "SENTINEL", "FAILOVER", this.masterName);
		if (!"OK".equals(reply)) {
			throw new IllegalStateException("SENTINEL FAILOVER refused: " + reply);
		}
	}

	/** Freezes a data node with {@code kill -STOP}: it keeps its connections but answers nothing. */
	public void pause(int port) {
		signal("-STOP", pid(port));
	}

	/** Thaws a node frozen by {@link #pause(int)} ({@code kill -CONT}). */
	public void resume(int port) {
		signal("-CONT", pid(port));
	}

	/** Waits until the Sentinels name a master other than {@code oldMasterPort}; returns its port. */
	public int awaitNewMaster(int oldMasterPort, Duration timeout) {
		int[] found = new int[1];
		await("a new master in place of " + oldMasterPort, timeout, () -> {
			try {
				found[0] = masterPort();
				return found[0] != oldMasterPort && "master".equals(replicationInfo(found[0], "role"));
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
		return found[0];
	}

	/** Waits until a data node is a replica whose link to its master is up (e.g. an old master converted). */
	public void awaitReplica(int port, Duration timeout) {
		await("node " + port + " a linked replica", timeout, () -> linkUp(port));
	}

	/**
	 * Waits until the master the Sentinels name has every other data node as a replica that is
	 * online and in sync, so that a write there is not refused with {@code NOREPLICAS} for want of
	 * good replicas ({@code min-replicas-to-write}): its {@code INFO replication} lists each of them
	 * ({@code connected_slaves}, {@code slaveN:...,state=online}) with a {@code lag} of at most 1 s,
	 * {@code min_slaves_good_slaves}, when shown, counts them all, and each acknowledges a probe
	 * ({@code PUBLISH}, which replicates, then {@code WAIT <replicas> 1000} on that connection; a
	 * frozen replica still looks good in {@code INFO} for a second or two, it fails this).
	 * Call it at start and after a failover, once a paused node is resumed. Returns the master's port.
	 */
	public int awaitReplicasInSync(Duration timeout) {
		int[] master = new int[1];
		String[] last = { "nothing read yet" };
		await("replicas online and in sync", timeout, () -> {
			try {
				master[0] = masterPort();
			}
			catch (RuntimeException ex) {
				last[0] = String.valueOf(ex.getMessage());
				return false;
			}
			List<Integer> expected = new ArrayList<>(dataPorts());
			expected.remove(Integer.valueOf(master[0]));
			Map<String, String> info = replicationInfo(master[0]);
			last[0] = "master " + master[0] + " " + info;
			if (!"master".equals(info.get("role")) || !replicasGood(info, expected)) {
				return false;
			}
			String acked = probe(master[0], expected.size());
			last[0] = "master " + master[0] + " " + info + ", WAIT " + expected.size() + " 1000: " + acked;
			return String.valueOf(expected.size()).equals(acked);
		}, () -> "; last seen " + last[0]);
		logger.debug("Sentinel group '{}': master {} has every replica online and in sync", this.masterName, master[0]);
		return master[0];
	}

	/** Whether INFO replication of a master lists exactly the expected replicas, each online and lagging ≤ 1 s. */
	private static boolean replicasGood(Map<String, String> info, List<Integer> expected) {
		String good = info.get("min_slaves_good_slaves");
		if (!String.valueOf(expected.size()).equals(info.get("connected_slaves"))
				|| (good != null && Integer.parseInt(good) < expected.size())) {
			return false;
		}
		List<Integer> online = new ArrayList<>();
		info.forEach((key, value) -> {
			if (key.matches("slave\\d+")) {
				Map<String, String> fields = new LinkedHashMap<>();
				for (String field : value.split(",")) {
					int eq = field.indexOf('=');
					if (eq > 0) {
						fields.put(field.substring(0, eq), field.substring(eq + 1));
					}
				}
				if ("online".equals(fields.get("state")) && Long.parseLong(fields.getOrDefault("lag", "99")) <= 1) {
					online.add(Integer.parseInt(fields.getOrDefault("port", "-1")));
				}
			}
		});
		return online.containsAll(expected);
	}

	/** How many replicas acknowledge a probe written to the master within a second, as {@code WAIT} tells. */
	private @Nullable String probe(int master, int replicas) {
		try {
			return RespPing.commands(HOST, master, CALL_TIMEOUT.plusSeconds(1),
					List.of(List.of("PUBLISH", "__resquebus_embedded_probe__", "sync"),
							List.of("WAIT", Integer.toString(replicas), "1000")));
		}
		catch (IOException ex) {
			return "-IO " + ex.getMessage();
		}
	}

	/** Stops every process (thawing a frozen one first) and deletes the temp dirs. */
	@Override
	public synchronized void close() {
		List<Node> all = new ArrayList<>(this.sentinelNodes);
		all.addAll(this.dataNodes);
		for (Node node : all) {
			if (node.process.isAlive()) {
				signal("-CONT", node.process.pid());
				RedisProcesses.stop(node.process, node.port);
			}
			RedisProcesses.deleteRecursively(node.dir);
		}
		this.sentinelNodes.clear();
		this.dataNodes.clear();
		RedisProcesses.forgetAtJvmExit(this);
	}

	private boolean linkUp(int port) {
		return "slave".equals(replicationInfo(port, "role"))
				&& "up".equals(replicationInfo(port, "master_link_status"));
	}

	private boolean seesGroup(Node sentinel) {
		String master = call(sentinel.port, "SENTINEL", "MASTER", this.masterName);
		if (master == null || master.startsWith("-")) {
			return false;
		}
		Map<String, String> fields = new LinkedHashMap<>();
		String[] lines = master.split("\n");
		for (int i = 0; i + 1 < lines.length; i += 2) {
			fields.put(lines[i], lines[i + 1]);
		}
		return String.valueOf(this.sentinels - 1).equals(fields.get("num-other-sentinels"))
				&& String.valueOf(this.replicas).equals(fields.get("num-slaves"));
	}

	private List<String> dataNodeConfig(int port, @Nullable Integer masterPort) {
		List<String> lines = new ArrayList<>(List.of("port " + port, "bind " + HOST, "protected-mode no",
				"save \"\"", "appendonly no", "daemonize no", "repl-diskless-sync-delay 0"));
		if (masterPort != null) {
			lines.add("replicaof " + HOST + " " + masterPort);
		}
		lines.addAll(this.dataNodeConfig);
		return lines;
	}

	private List<String> sentinelConfig(int port, int masterPort) {
		String name = this.masterName;
		int quorum = this.sentinels / 2 + 1;
		return List.of("port " + port, "bind " + HOST, "protected-mode no", "daemonize no",
				"sentinel monitor " + name + " " + HOST + " " + masterPort + " " + quorum,
				"sentinel down-after-milliseconds " + name + " " + this.downAfter.toMillis(),
				"sentinel failover-timeout " + name + " " + this.failoverTimeout.toMillis(),
				"sentinel parallel-syncs " + name + " " + this.replicas);
	}

	/** Starts one process on a free port, retrying on another port when it was taken meanwhile. */
	private Node launch(Path binary, String role, IntFunction<List<String>> config,
			boolean sentinel) {
		for (int attempt = 1; ; attempt++) {
			int port = RedisProcesses.freePort();
			Path dir = RedisProcesses.tempDir("resquebus-sentinel-" + role + "-");
			Path conf = dir.resolve(sentinel ? "sentinel.conf" : "redis.conf");
			List<String> lines = new ArrayList<>(config.apply(port));
			lines.add("dir " + dir);
			List<String> command = new ArrayList<>(List.of(binary.toString(), conf.toString()));
			if (sentinel) {
				command.add("--sentinel");
			}
			try {
				Files.write(conf, lines, StandardCharsets.UTF_8);
				Process process = RedisProcesses.start(command, dir, dir.resolve("log.txt"));
				if (RedisProcesses.awaitPing(process, port, this.startupTimeout) == null) {
					return new Node(port, process, dir);
				}
				RedisProcesses.kill(process);
				String log = Files.readString(dir.resolve("log.txt"));
				RedisProcesses.deleteRecursively(dir);
				if (attempt >= 3 || !log.contains("already in use")) {
					throw new IllegalStateException("redis-server (" + role + ") on port " + port
							+ " did not start; its log:\n" + log);
				}
			}
			catch (IOException ex) {
				RedisProcesses.deleteRecursively(dir);
				throw new IllegalStateException("Cannot run " + binary + " for the " + role + ": " + ex.getMessage(), ex);
			}
		}
	}

	private static void await(String what, Duration timeout, BooleanSupplier condition) {
		await(what, timeout, condition, () -> "");
	}

	private static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) {
		RedisProcesses.await(condition, timeout, 50,
				() -> "Sentinel group: no " + what + " within " + timeout + detail.get());
	}

	private static void signal(String signal, long pid) {
		try {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
			RedisProcesses.waitFor(kill, Duration.ofSeconds(5));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot send " + signal + " to " + pid + ": " + ex.getMessage(), ex);
		}
	}

	private record Node(int port, Process process, Path dir) {
	}

	/** Builds a group; nothing runs until {@link #start()}. */
	public static final class Builder {

		private String masterName = "mymaster";

		private int replicas = 2;

		private int sentinels = 3;

		private Duration downAfter = Duration.ofMillis(1000);

		private Duration failoverTimeout = Duration.ofSeconds(5);

		private final List<String> dataNodeConfig = new ArrayList<>();

		private Duration startupTimeout = Duration.ofSeconds(30);

		private @Nullable Path binary;

		private Builder() {
		}

		public Builder masterName(String masterName) {
			this.masterName = masterName;
			return this;
		}

		public Builder replicas(int replicas) {
			this.replicas = replicas;
			return this;
		}

		public Builder sentinels(int sentinels) {
			this.sentinels = sentinels;
			return this;
		}

		/** Sentinel's {@code down-after-milliseconds}: how long a silent master takes to be deemed down. */
		public Builder downAfter(Duration downAfter) {
			this.downAfter = downAfter;
			return this;
		}

		/** Sentinel's {@code failover-timeout}. */
		public Builder failoverTimeout(Duration failoverTimeout) {
			this.failoverTimeout = failoverTimeout;
			return this;
		}

		/** redis.conf lines for the master and every replica (any may become master), e.g. {@code min-replicas-to-write 1}. */
		public Builder dataNodeConfig(String... lines) {
			this.dataNodeConfig.addAll(List.of(lines));
			return this;
		}

		public Builder startupTimeout(Duration startupTimeout) {
			this.startupTimeout = startupTimeout;
			return this;
		}

		/** An explicit redis-server executable; else as {@link EmbeddedRedisServer} finds it. */
		public Builder binary(Path binary) {
			this.binary = binary;
			return this;
		}

		public EmbeddedSentinelGroup build() {
			return new EmbeddedSentinelGroup(this);
		}

	}

}
