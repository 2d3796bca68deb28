package io.resquebus;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;

/**
 * What every part of the bus shares: the keys under the namespace, the wire codec, this
 * process's host name, the clock and the id generator.
 *
 * @param keys the Redis keys under the configured namespace
 * @param codec the wire codec, with the bus's own JSON mapper
 * @param hostname written as {@code bus_app_hostname} and used in worker ids
 * @param clock the clock for every epoch second the bus writes
 * @param idGenerator makes {@code bus_id}s
 */
public record BusSettings(BusKeys keys, WireCodec codec, String hostname, Clock clock, BusIdGenerator idGenerator) {

	public BusSettings {
		if (hostname.isEmpty() || hostname.contains(":")) {
			throw new IllegalArgumentException("Host name '" + hostname
					+ "' must be non-empty and contain no ':' (Resque worker ids are host:pid:queues)");
		}
	}

	/** Defaults that interoperate with Ruby: namespace {@code resque}, this machine's host name, system clock. */
	public static BusSettings defaults() {
		return new BusSettings(new BusKeys("resque"), new WireCodec(), localHostname(), Clock.systemDefaultZone(),
				BusIdGenerator.DEFAULT);
	}

	public BusSettings withKeys(BusKeys keys) {
		return new BusSettings(keys, this.codec, this.hostname, this.clock, this.idGenerator);
	}

	public BusSettings withHostname(String hostname) {
		return new BusSettings(this.keys, this.codec, hostname, this.clock, this.idGenerator);
	}

	public BusSettings withClock(Clock clock) {
		return new BusSettings(this.keys, this.codec, this.hostname, clock, this.idGenerator);
	}

	public BusSettings withIdGenerator(BusIdGenerator idGenerator) {
		return new BusSettings(this.keys, this.codec, this.hostname, this.clock, idGenerator);
	}

	public BusSettings withCodec(WireCodec codec) {
		return new BusSettings(this.keys, codec, this.hostname, this.clock, this.idGenerator);
	}

	public long epochSecond() {
		return this.clock.millis() / 1000;
	}

	/** This machine's host name, with any {@code :} replaced so it fits in a worker id. */
	public static String localHostname() {
		try {
			return InetAddress.getLocalHost().getHostName().replace(':', '_');
		}
		catch (UnknownHostException ex) {
			String env = System.getenv("HOSTNAME");
			return (env != null && !env.isEmpty()) ? env.replace(':', '_') : "localhost";
		}
	}

}
