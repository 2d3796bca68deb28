package io.resquebus.embedded;

import io.resquebus.embedded.EmbeddedRedisServer.BinarySource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Finds the redis-server executable: an explicit path, a configured one, the one on PATH, or a
 * binary shipped inside the embedded-redis jar (extracted once per JVM, as jars cannot execute
 * resources in place).
 */
final class RedisBinaries {

	static final String PROPERTY = "resquebus.redis-server";

	static final String ENV = "RESQUEBUS_REDIS_SERVER";

	private static final Map<String, Path> EXTRACTED = new HashMap<>();

	/** The bus needs Redis 6.2 (LMOVE, BLMOVE); bus-core checks every server it talks to too. */
	private static final int[] MINIMUM_VERSION = { 6, 2 };

	private static final Pattern BUNDLED_VERSION = Pattern.compile("redis-server-(\\d+)\\.(\\d+)\\..*");

	private RedisBinaries() {
	}

	/** The binary to run; an explicit path always wins over the source. */
	static Path resolve(@Nullable Path explicit, BinarySource source) {
		if (explicit != null) {
			return checked(explicit, "explicit redis-server binary");
		}
		return switch (source) {
			case PATH -> {
				Path found = onPath();
				if (found == null) {
					throw new IllegalStateException("No redis-server found on PATH");
				}
				yield found;
			}
			case BUNDLED -> bundled();
			case AUTO -> auto();
		};
	}

	private static Path auto() {
		String configured = System.getProperty(PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return checked(Path.of(configured), "redis-server binary from system property " + PROPERTY);
		}
		configured = System.getenv(ENV);
		if (configured != null && !configured.isBlank()) {
			return checked(Path.of(configured), "redis-server binary from environment variable " + ENV);
		}
		Path found = onPath();
		if (found != null) {
			return found;
		}
		if (bundledResourceName(System.getProperty("os.name", ""), System.getProperty("os.arch", "")) == null) {
			throw new IllegalStateException("No redis-server on PATH and no bundled redis-server for "
					+ platform() + "; install Redis or set -D" + PROPERTY + "=/path/to/redis-server");
		}
		return bundled();
	}

	private static Path checked(Path binary, String what) {
		if (!Files.isRegularFile(binary)) {
			throw new IllegalStateException(what + " does not exist: " + binary);
		}
		if (!Files.isExecutable(binary)) {
			throw new IllegalStateException(what + " is not executable: " + binary);
		}
		return binary.toAbsolutePath();
	}

	/** The first executable redis-server on PATH, or {@code null}. */
	static @Nullable Path onPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		boolean windows = isWindows(System.getProperty("os.name", ""));
		for (String dir : path.split(File.pathSeparator)) {
			if (dir.isBlank()) {
				continue;
			}
			for (String name : windows ? new String[] {"redis-server.exe", "redis-server"} : new String[] {"redis-server"}) {
				try {
					Path candidate = Path.of(dir.trim(), name);
					if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
						return candidate.toAbsolutePath();
					}
				}
				catch (RuntimeException ex) {
					// malformed PATH entry
				}
			}
		}
		return null;
	}

	/** The bundled binary for this OS/arch, extracted to a per-JVM temp dir on first use. */
	static synchronized Path bundled() {
		String name = bundledResourceName(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
		if (name == null) {
			throw new IllegalStateException("No bundled redis-server for " + platform()
					+ "; install Redis or set -D" + PROPERTY + "=/path/to/redis-server");
		}
		requireRecentEnough(name);
		Path cached = EXTRACTED.get(name);
		if (cached != null && Files.isExecutable(cached)) {
			return cached;
		}
		try (InputStream in = RedisBinaries.class.getResourceAsStream("/" + name)) {
			if (in == null) {
				throw new IllegalStateException("Bundled redis-server resource " + name
						+ " is missing; is com.github.codemonstur:embedded-redis on the classpath?");
			}
			Path dir = Files.createTempDirectory("resquebus-redis-bin-");
			Path target = dir.resolve(name);
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
			if (!target.toFile().setExecutable(true, true)) {
				throw new IllegalStateException("Cannot make " + target + " executable");
			}
			dir.toFile().deleteOnExit();
			target.toFile().deleteOnExit();
			EXTRACTED.put(name, target);
			return target;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot extract bundled redis-server " + name + ": " + ex.getMessage(), ex);
		}
	}

	/** The embedded-redis 1.4.4 resource for an OS/arch, or {@code null} when it ships none. */
	static @Nullable String bundledResourceName(String osName, String osArch) {
		String os = osName.toLowerCase(Locale.ROOT);
		String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
			case "amd64", "x86_64", "x64" -> "amd64";
			case "aarch64", "arm64" -> "arm64";
			case "x86", "i386", "i486", "i586", "i686" -> "386";
			default -> "";
		};
		if (isWindows(os)) {
			return arch.equals("amd64") ? "redis-server-5.0.14.1-windows-amd64.exe" : null;
		}
		if (os.contains("mac") || os.contains("darwin")) {
			return switch (arch) {
				case "amd64" -> "redis-server-6.2.6-v5-darwin-amd64";
				case "arm64" -> "redis-server-6.2.6-v5-darwin-arm64";
				default -> null;
			};
		}
		if (os.contains("linux")) {
			return switch (arch) {
				case "amd64" -> "redis-server-6.2.6-v5-linux-amd64";
				case "arm64" -> "redis-server-6.2.7-linux-arm64";
				case "386" -> "redis-server-6.2.7-linux-386";
				default -> null;
			};
		}
		return null;
	}

	/**
	 * Refuses a bundled binary older than the bus needs: embedded-redis 1.4.4's only Windows build
	 * is 5.0.14.1 (a community port; Redis itself ships none for Windows), which lacks LMOVE/BLMOVE.
	 */
	static void requireRecentEnough(String resourceName) {
		Matcher matcher = BUNDLED_VERSION.matcher(resourceName);
		if (!matcher.matches()) {
			return;
		}
		int major = Integer.parseInt(matcher.group(1));
		int minor = Integer.parseInt(matcher.group(2));
		if (major < MINIMUM_VERSION[0] || (major == MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1])) {
			throw new IllegalStateException("The bundled " + resourceName + " is Redis " + major + "." + minor
					+ ", but the bus needs Redis " + MINIMUM_VERSION[0] + "." + MINIMUM_VERSION[1]
					+ " or later (LMOVE, BLMOVE). On Windows, install a Redis 6.2+ build (e.g. Memurai, or Redis in "
					+ "WSL or Docker) and put its redis-server on PATH or set -D" + PROPERTY
					+ "=C:\\path\\to\\redis-server.exe");
		}
	}

	private static boolean isWindows(String osName) {
		return osName.toLowerCase(Locale.ROOT).startsWith("windows");
	}

	private static String platform() {
		return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
	}

}
