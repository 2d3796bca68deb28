package io.resquebus.wire;

/**
 * Normalization of app keys and queue names (spec section 5, "Naming").
 */
public final class Names {

	private Names() {
	}

	/**
	 * Each code point outside {@code [A-Za-z0-9_]} becomes {@code _}, then lowercase, as Ruby does
	 * ({@code Café-B} becomes {@code caf__b}).
	 */
	public static String normalize(String name) {
		StringBuilder out = new StringBuilder(name.length());
		name.codePoints().forEach((cp) -> {
			boolean word = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
			out.append(word ? Character.toLowerCase((char) cp) : '_');
		});
		return out.toString();
	}

	/**
	 * Normalizes an app key and rejects one that Ruby cannot drive (empty or only underscores).
	 * @throws IllegalArgumentException naming the offending key
	 */
	public static String appKey(String appKey) {
		String normalized = normalize(appKey);
		if (normalized.chars().allMatch((c) -> c == '_')) {
			throw new IllegalArgumentException("Invalid app key '" + appKey
					+ "': it must contain at least one letter or digit (an app key of only '_' breaks every Ruby driver)");
		}
		return normalized;
	}

	/** The queue an app's subscription with the given suffix ({@code default}, {@code critical}, ...) lands on. */
	public static String queue(String appKey, String suffix) {
		return normalize(appKey + "_" + suffix);
	}

}
