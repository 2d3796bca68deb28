package io.resquebus.autoconfigure.outbox;

import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.WireCodec;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.ClassUtils;

/**
 * What the outbox tests look at: the bus's publications in Modulith's registry table and the jobs
 * waiting on {@code bus_incoming} (read through the bus's own keys and codec).
 */
final class Outbox {

	private Outbox() {
	}

	/**
	 * Whether Modulith is on the class path: only in the {@code outbox-tests} surefire
	 * execution, also when {@code -Dtest} names an outbox test for every execution.
	 */
	static boolean modulithPresent() {
		return ClassUtils.isPresent("org.springframework.modulith.events.core.EventPublicationRegistry", null);
	}

	/** Status and completion attempts of the publications whose stored event names the bus_id. */
	static List<Map<String, Object>> publications(JdbcTemplate jdbc, String busId) {
		return jdbc.queryForList("select status, completion_attempts, completion_date from event_publication"
				+ " where serialized_event like ?", "%" + busId + "%");
	}

	/** How many jobs on {@code bus_incoming} are of the event type and have the id attribute. */
	static long incoming(StringRedisTemplate redis, BusSettings settings, String eventType, int id) {
		List<String> jobs = redis.opsForList().range(settings.keys().queue(BusKeys.INCOMING_QUEUE), 0, -1);
		return (jobs != null) ? jobs.stream()
			.map((job) -> settings.codec().parseJob(job))
			.filter((job) -> eventType.equals(job.eventType()) && Integer.valueOf(id).equals(job.event().get("id")))
			.count() : 0;
	}

	/** How many jobs on {@code bus_incoming} carry the bus_id. */
	static long incoming(StringRedisTemplate redis, BusSettings settings, String busId) {
		return incoming(redis, settings.keys(), settings.codec(), busId);
	}

	static long incoming(StringRedisTemplate redis, BusKeys keys, WireCodec codec, String busId) {
		List<String> jobs = redis.opsForList().range(keys.queue(BusKeys.INCOMING_QUEUE), 0, -1);
		return (jobs != null) ? jobs.stream()
			.map(codec::parseJob)
			.filter((job) -> busId.equals(job.attribute(BusAttributes.ID)))
			.count() : 0;
	}

}
