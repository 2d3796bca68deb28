package io.resquebus.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script of the bus, loaded from {@code io/resquebus/redis/<name>.lua}. Scripts make
 * multi-key writes atomic in one round trip on the shared connection, where a {@code MULTI} would
 * need a dedicated one.
 */
public final class BusScript {

	private final String name;

	private final byte[] source;

	private final String sha1;

	private BusScript(String name, byte[] source) {
		this.name = name;
		this.source = source;
		this.sha1 = sha1(source);
	}

	public static BusScript load(String name) {
		String path = "/io/resquebus/redis/" + name + ".lua";
		try (InputStream in = BusScript.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("Missing bus script " + path);
			}
			return new BusScript(name, in.readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String name() {
		return this.name;
	}

	byte[] source() {
		return this.source;
	}

	String sha1() {
		return this.sha1;
	}

	private static String sha1(byte[] source) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return this.name + ".lua";
	}

	static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
