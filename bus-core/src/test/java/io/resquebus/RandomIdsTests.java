package io.resquebus;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BusIdGenerator#DEFAULT}: queue-bus's bus_id format, random UUIDs without SecureRandom per id. */
class RandomIdsTests {

	private static final String FORMAT = "\\d{10}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

	@Test
	void idsHaveQueueBusFormatAndAreVersion4Uuids() {
		for (int i = 0; i < 1_000; i++) {
			String id = BusIdGenerator.DEFAULT.nextId(1_718_000_000L);
			assertThat(id).matches(FORMAT).startsWith("1718000000-");
			UUID uuid = UUID.fromString(id.substring(11));
			assertThat(uuid.version()).isEqualTo(4);
			assertThat(uuid.variant()).isEqualTo(2);
			assertThat(uuid.toString()).isEqualTo(id.substring(11));
		}
	}

	@Test
	void idsOfManyThreadsAreDistinctAndUseEveryRandomBit() {
		Set<String> ids = ConcurrentHashMap.newKeySet();
		IntStream.range(0, 8).parallel().forEach((thread) -> {
			for (int i = 0; i < 20_000; i++) {
				ids.add(RandomIds.uuid());
			}
		});
		assertThat(ids).hasSize(160_000);
		long msbOr = 0;
		long msbAnd = -1;
		long lsbOr = 0;
		long lsbAnd = -1;
		for (String id : ids) {
			UUID uuid = UUID.fromString(id);
			msbOr |= uuid.getMostSignificantBits();
			msbAnd &= uuid.getMostSignificantBits();
			lsbOr |= uuid.getLeastSignificantBits();
			lsbAnd &= uuid.getLeastSignificantBits();
		}
		// Only the version (0100) and variant (10) bits are fixed: every other bit is seen as 0 and as 1.
		assertThat(msbOr ^ msbAnd).isEqualTo(~0xF000L);
		assertThat(lsbOr ^ lsbAnd).isEqualTo(0x3FFF_FFFF_FFFF_FFFFL);
	}

}
