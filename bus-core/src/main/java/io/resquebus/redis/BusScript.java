package io.resquebus.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script of the bus, loaded from {@code io/resquebus/redis/<name>.lua}. Scripts make
 * multi-key writes atomic in one round trip on the shared connection, where a {@code MULTI} would
 * need a dedicated one. A line {@code -- include: <part>} stands for the text of
 * {@code io/resquebus/redis/<part>.lua}, so that a Lua function several scripts need lives once;
 * the script's SHA1 is over the text with its parts in place.
 */
public final class BusScript {

	private static final Pattern INCLUDE = Pattern.compile("(?m)^-- include: ([\\w-]+)$");

	private final String name;

	private final byte[] source;

	private final String sha1;

	private BusScript(String name, byte[] source) {
		this.name = name;
		this.source = source;
		this.sha1 = sha1(source);
	}

	public static BusScript load(String name) {
		String text = INCLUDE.matcher(read(name))
			.replaceAll((include) -> Matcher.quoteReplacement(read(include.group(1))));
		return new BusScript(name, text.getBytes(StandardCharsets.UTF_8));
	}

	private static String read(String name) {
		String path = "/io/resquebus/redis/" + name + ".lua";
		try (InputStream in = BusScript.class.getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("Missing bus script " + path);
			}
			return utf8(in.readAllBytes());
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
