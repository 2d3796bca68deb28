package io.resquebus.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** One benchmark event: the same small payload for every contender, stamped at publish. */
record BenchEvent(long stampNanos, long seq) {

	static final String TYPE = "bench_event";

	static BenchEvent now(long seq) {
		return new BenchEvent(System.nanoTime(), seq);
	}

	/** Attributes: the stamp, a sequence number and two fields standing for a small real event. */
	Map<String, Object> attributes() {
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("t", this.stampNanos);
		attributes.put("seq", this.seq);
		attributes.put("user_id", 42);
		attributes.put("name", "John");
		return attributes;
	}

}
