package io.resquebus.wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link Events#executed}: a view of the event with {@code bus_executed_at} that reads, iterates,
 * compares and prints as the copy Ruby's {@code attributes["bus_executed_at"] = ...} would make.
 */
class ExecutedEventTests {

	@Test
	void appendsTheKeyLastWhenTheEventHasNone() {
		Map<String, Object> event = event("a", 1, "b", null, "c", "x");
		Map<String, Object> executed = Events.executed(event, 42);
		Map<String, Object> copy = copy(event, 42);
		assertThat(new ArrayList<>(executed.keySet())).containsExactly("a", "b", "c", BusAttributes.EXECUTED_AT);
		assertThat(new ArrayList<>(executed.values())).containsExactly(1, null, "x", 42L);
		assertThat(forEachKeys(executed)).containsExactly("a", "b", "c", BusAttributes.EXECUTED_AT);
		assertThat(executed).hasSize(4).containsEntry(BusAttributes.EXECUTED_AT, 42L).containsEntry("b", null);
		assertThat(executed.containsKey("b")).isTrue();
		assertThat(executed.containsKey("z")).isFalse();
		assertThat(executed.get("z")).isNull();
		assertThat(executed).isEqualTo(copy);
		assertThat(copy).isEqualTo(executed);
		assertThat(executed.hashCode()).isEqualTo(copy.hashCode());
		assertThat(executed.toString()).isEqualTo(copy.toString());
		assertThat(event).doesNotContainKey(BusAttributes.EXECUTED_AT);
	}

	@Test
	void replacesAnExistingKeyInPlace() {
		Map<String, Object> event = event("a", 1, BusAttributes.EXECUTED_AT, 7, "c", "x");
		Map<String, Object> executed = Events.executed(event, 42);
		Map<String, Object> copy = copy(event, 42);
		assertThat(new ArrayList<>(executed.entrySet())).isEqualTo(new ArrayList<>(copy.entrySet()));
		assertThat(new ArrayList<>(executed.keySet())).containsExactly("a", BusAttributes.EXECUTED_AT, "c");
		assertThat(forEachKeys(executed)).containsExactly("a", BusAttributes.EXECUTED_AT, "c");
		assertThat(executed).hasSize(3).containsEntry(BusAttributes.EXECUTED_AT, 42L);
		assertThat(executed).isEqualTo(copy).isNotEqualTo(event);
		assertThat(executed.hashCode()).isEqualTo(copy.hashCode());
		assertThat(executed.toString()).isEqualTo(copy.toString());
		assertThat(event).containsEntry(BusAttributes.EXECUTED_AT, 7);
	}

	@Test
	void anEmptyEventHoldsTheKeyAlone() {
		Map<String, Object> executed = Events.executed(new LinkedHashMap<>(), 5);
		assertThat(executed).isNotEmpty().isEqualTo(Map.of(BusAttributes.EXECUTED_AT, 5L));
		Iterator<Map.Entry<String, Object>> entries = executed.entrySet().iterator();
		entries.next();
		assertThat(entries.hasNext()).isFalse();
		assertThatExceptionOfType(java.util.NoSuchElementException.class).isThrownBy(entries::next);
	}

	@Test
	void isReadOnly() {
		Map<String, Object> event = event("a", 1);
		Map<String, Object> executed = Events.executed(event, 42);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> executed.put("a", 2));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> executed.remove("a"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(executed::clear);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> executed.entrySet().iterator().next().setValue(2));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> executed.keySet().removeIf("a"::equals));
		assertThat(event).isEqualTo(Map.of("a", 1));
	}

	private static Map<String, Object> event(Object... pairs) {
		Map<String, Object> event = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			event.put((String) pairs[i], pairs[i + 1]);
		}
		return event;
	}

	/** What the handler saw before: a copy with the key put. */
	private static Map<String, Object> copy(Map<String, Object> event, long executedAt) {
		Map<String, Object> copy = new LinkedHashMap<>(event);
		copy.put(BusAttributes.EXECUTED_AT, executedAt);
		return copy;
	}

	private static List<String> forEachKeys(Map<String, Object> map) {
		List<String> keys = new ArrayList<>();
		map.forEach((name, value) -> keys.add(name));
		return keys;
	}

	@Test
	void equalsAnUnorderedMapWithTheSameEntries() {
		Map<String, Object> executed = Events.executed(event("a", 1), 42);
		Map<String, Object> same = new HashMap<>();
		same.put(BusAttributes.EXECUTED_AT, 42L);
		same.put("a", 1);
		assertThat(executed).isEqualTo(same);
		assertThat(executed.hashCode()).isEqualTo(same.hashCode());
	}

}
