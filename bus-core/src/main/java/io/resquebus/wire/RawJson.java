package io.resquebus.wire;

import java.util.Objects;

/**
 * JSON text that {@link RubyJson} inserts verbatim, e.g. a popped job embedded byte-for-byte as the
 * {@code payload} of a failure entry (re-encoding could change its bytes, and resque-web's Retry
 * re-enqueues exactly those bytes). The caller guarantees it is valid JSON.
 *
 * @param json the serialized JSON value
 */
record RawJson(String json) {

	public RawJson {
		Objects.requireNonNull(json, "json");
		if (json.isBlank()) {
			throw new IllegalArgumentException("RawJson must hold a JSON value, got blank text");
		}
	}

	@Override
	public String toString() {
		return json;
	}
}
