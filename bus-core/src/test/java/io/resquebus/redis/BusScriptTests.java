package io.resquebus.redis;

import java.time.Duration;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.RespPing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BusScript} puts included parts in place, and its SHA1 is the one Redis gives the text it
 * runs, so that {@code EVALSHA} finds the script.
 */
class BusScriptTests {

	@Test
	void includedPartStandsInPlaceOfTheIncludeLine() {
		String fetch = BusScript.utf8(BusScript.load("fetch").source());
		assertThat(fetch).contains("local function json_text(s)").doesNotContain("-- include:");
		assertThat(BusScript.utf8(BusScript.load("fetch-slot").source())).contains("local function json_text(s)");
	}

	@Test
	void sha1IsTheOneRedisComputesForTheScriptWithItsIncludes() throws Exception {
		try (EmbeddedRedisServer redis = EmbeddedRedisServer.builder().build()) {
			redis.start();
			BusScript fetch = BusScript.load("fetch");
			String loaded = RespPing.command(redis.host(), redis.port(), Duration.ofSeconds(5), "SCRIPT", "LOAD",
					BusScript.utf8(fetch.source()));
			assertThat(loaded).isEqualTo(fetch.sha1());
		}
	}

}
