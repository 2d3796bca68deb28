package io.resquebus.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/** Reads Redis's own counters ({@code INFO}) and empties the benchmark's Redis between runs. */
final class RedisInfo implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	RedisInfo(String host, int port) {
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.connection = this.client.connect();
	}

	/** Commands processed, CPU seconds (user + system) and memory used, at one moment. */
	record Snapshot(long commands, double cpuSeconds, long usedMemory) {
	}

	Snapshot snapshot() {
		String info = this.connection.sync().info();
		return new Snapshot(Long.parseLong(field(info, "total_commands_processed")),
				Double.parseDouble(field(info, "used_cpu_user")) + Double.parseDouble(field(info, "used_cpu_sys")),
				Long.parseLong(field(info, "used_memory")));
	}

	/**
	 * Calls per command since Redis started ({@code INFO commandstats}), commands run by scripts included;
	 * and under {@code <command>.usec} the microseconds spent in it (a script's include those of its commands).
	 */
	java.util.Map<String, Long> commandCalls() {
		java.util.Map<String, Long> calls = new java.util.TreeMap<>();
		for (String line : this.connection.sync().info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				int colon = line.indexOf(':');
				int from = line.indexOf("calls=", colon) + "calls=".length();
				int to = line.indexOf(',', from);
				calls.put(line.substring("cmdstat_".length(), colon),
						Long.parseLong(line.substring(from, (to < 0) ? line.length() : to)));
				int usec = line.indexOf("usec=", colon) + "usec=".length();
				int usecEnd = line.indexOf(',', usec);
				calls.put(line.substring("cmdstat_".length(), colon) + ".usec",
						Long.parseLong(line.substring(usec, (usecEnd < 0) ? line.length() : usecEnd)));
			}
		}
		return calls;
	}

	String version() {
		return field(this.connection.sync().info("server"), "redis_version");
	}

	/** Empties the benchmark's own Redis (never a shared one: it was started for this run). */
	void flush() {
		this.connection.sync().flushall();
	}

	private static String field(String info, String name) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1).trim();
			}
		}
		throw new IllegalStateException("INFO has no " + name);
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
