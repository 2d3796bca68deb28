package io.resquebus.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares decoded JSON values more strictly than {@code equals}. */
final class SameValues {

	private SameValues() {
	}

	/**
	 * Equal values of the same classes, maps of the same class with their keys in the same order,
	 * doubles to the bit.
	 */
	static void assertSameValue(@Nullable Object actual, @Nullable Object expected, String description) {
		if (expected == null) {
			assertThat(actual).as(description).isNull();
			return;
		}
		assertThat(actual).as(description).isNotNull();
		assertThat(actual.getClass()).as(description).isEqualTo(expected.getClass());
		if (expected instanceof Map<?, ?> map) {
			Map<?, ?> other = (Map<?, ?>) actual;
			assertThat(new ArrayList<>(other.keySet())).as(description).isEqualTo(new ArrayList<>(map.keySet()));
			map.forEach((key, value) -> assertSameValue(other.get(key), value, description));
		}
		else if (expected instanceof List<?> list) {
			List<?> other = (List<?>) actual;
			assertThat(other).as(description).hasSameSizeAs(list);
			for (int i = 0; i < list.size(); i++) {
				assertSameValue(other.get(i), list.get(i), description);
			}
		}
		else if (expected instanceof Double d) {
			assertThat(Double.doubleToRawLongBits((Double) actual)).as(description)
				.isEqualTo(Double.doubleToRawLongBits(d));
		}
		else {
			assertThat(actual).as(description).isEqualTo(expected);
		}
	}

}
