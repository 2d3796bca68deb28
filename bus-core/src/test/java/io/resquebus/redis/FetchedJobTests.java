package io.resquebus.redis;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fetched job keeps Redis's bytes; it offers them as ASCII, one per character of its text, only
 * where they are.
 */
class FetchedJobTests {

	@Test
	void offersTheBytesOfAnAsciiJobAsItsAsciiBytes() {
		byte[] bytes = "{\"class\":\"A\",\"args\":[\"x\\\\\\\"\"]}".getBytes(StandardCharsets.US_ASCII);
		FetchedJob job = FetchedJob.of("q", bytes);
		assertThat(job.asciiBytes()).isSameAs(bytes);
		assertThat(job.invalidUtf8()).isNull();
	}

	@Test
	void offersNoAsciiBytesForAJobWithOtherCharacters() {
		FetchedJob job = FetchedJob.of("q", "{\"a\":\"\u00e9\u20ac\"}".getBytes(StandardCharsets.UTF_8));
		assertThat(job.asciiBytes()).isNull();
		assertThat(job.invalidUtf8()).isNull();
	}

	@Test
	void offersNoAsciiBytesForAJobWhoseSingleBytesAreNotUtf8() {
		// One byte that is not UTF-8 decodes to one U+FFFD: as many characters as bytes, yet not ASCII.
		FetchedJob job = FetchedJob.of("q", new byte[] { '{', (byte) 0xff, '}' });
		assertThat(job.raw()).hasSize(3);
		assertThat(job.invalidUtf8()).isNotNull();
		assertThat(job.asciiBytes()).isNull();
	}

}
