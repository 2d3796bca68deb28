package io.resquebus.wire;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResqueTimesTests {

	private static final Instant TIME = Instant.parse("2024-06-10T06:13:21Z");

	@Test
	void writesEachTimeInTheFormatResqueWritesItInUtc() {
		assertThat(ResqueTimes.failedAt(TIME)).isEqualTo("2024/06/10 06:13:21 UTC");
		assertThat(ResqueTimes.retriedAt(TIME)).isEqualTo("2024/06/10 06:13:21");
		assertThat(ResqueTimes.heartbeat(TIME)).isEqualTo("2024-06-10T06:13:21+00:00");
		assertThat(ResqueTimes.workerStarted(TIME)).isEqualTo("2024-06-10 06:13:21 +0000");
		assertThat(ResqueTimes.runAt(TIME)).isEqualTo("2024-06-10T06:13:21Z");
	}

	@Test
	void namesADelayedListAndItsTimestampsMemberAlike() {
		BusKeys keys = new BusKeys("resque");
		assertThat(BusKeys.delayedMember(1718000001L)).isEqualTo("delayed:1718000001");
		assertThat(keys.delayed(1718000001L)).isEqualTo("resque:delayed:1718000001");
		assertThat(keys.delayed("1718000001")).isEqualTo(keys.delayed(1718000001L));
	}

}
