package io.resquebus.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis that does not answer (paused clients, as a hung or overloaded server) gives the page a JSON
 * 503 that says why, which it shows as its banner.
 */
class DashboardUnavailableTests {

	@Test
	void aRedisThatDoesNotAnswerIsAJson503SayingSo() throws Exception {
		EmbeddedRedisServer redis = TestRedis.dedicated();
		RedisClient client = RedisClient.create(redis.url());
		try (DashboardApp app = DashboardApp.onRedis(redis.url(), "resquebus.read-timeout=300ms");
				StatefulRedisConnection<String, String> admin = client.connect()) {
			HttpClient http = HttpClient.newHttpClient();
			HttpRequest overview = HttpRequest.newBuilder(URI.create(app.url() + "api/failed")).build();
			assertThat(http.send(overview, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

			admin.sync().clientPause(3000); // over by itself; closing the app waits for it
			HttpResponse<String> response = http.send(overview, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("application/json"));
			assertThat(response.body()).contains("\"status\":503")
				.contains("Redis is unavailable: No reply from Redis within 300 ms")
				.doesNotContain("null");
		}
		finally {
			client.shutdown();
			redis.stop();
		}
	}

}
