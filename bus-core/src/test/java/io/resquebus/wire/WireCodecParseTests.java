package io.resquebus.wire;

import java.util.ArrayList;
import java.util.List;

import io.resquebus.testsupport.GoldenFiles;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A bus job decoded from its plain-job decoding is the job decoded from its bytes, and a job refused
 * either way is refused for the same reason.
 */
class WireCodecParseTests {

	private final WireCodec codec = new WireCodec();

	@Test
	void decodesABusJobFromItsPlainJobDecodingAsFromItsBytes() {
		List<String> jobs = new ArrayList<>();
		jobs.addAll(GoldenFiles.queue("02_published.json", "bus_incoming"));
		jobs.addAll(GoldenFiles.queue("03_driven.json", "golden_app_default"));
		jobs.add("{\"class\":\"::QueueBus::Heartbeat\",\"args\":[]}");
		assertThat(jobs).hasSizeGreaterThan(15);
		for (String raw : jobs) {
			// The plain job no longer tells whether the envelope's escapes are Ruby's, so the rider
			// job splice is not offered from it (a worker does not fan out).
			BusJob fromPlain = this.codec.parseJob(this.codec.parsePlainJob(raw));
			BusJob fromBytes = this.codec.parseJob(raw);
			assertThat(fromPlain.proxyAt()).isEqualTo(-1);
			assertThat(fromPlain).as(raw).isEqualTo(
					new BusJob(fromBytes.raw(), fromBytes.className(), fromBytes.event(), fromBytes.eventJson()));
		}
	}

	@Test
	void refusesAMalformedBusJobForTheSameReasonEitherWay() {
		for (String raw : List.of("{\"class\":\"QueueBus::Worker\"}", "{\"class\":\"QueueBus::Worker\",\"args\":[]}",
				"{\"class\":\"QueueBus::Worker\",\"args\":[1]}", "{\"class\":\"QueueBus::Worker\",\"args\":[\"{x\"]}",
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"[1]\"]}",
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"{}\",\"{}\"]}")) {
			Throwable fromBytes = catchThrowable(() -> this.codec.parseJob(raw));
			Throwable fromPlain = catchThrowable(() -> this.codec.parseJob(this.codec.parsePlainJob(raw)));
			assertThat(fromBytes).as(raw).isInstanceOf(MalformedJobException.class);
			assertThat(fromPlain).as(raw).isInstanceOf(MalformedJobException.class).hasMessage(fromBytes.getMessage());
		}
	}

}
