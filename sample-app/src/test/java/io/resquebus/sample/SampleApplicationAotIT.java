package io.resquebus.sample;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample application processed ahead of time ({@code process-aot}) and run in AOT mode on the
 * JVM ({@code -Dspring.aot.enabled=true}) as a child process, end to end: it starts from the
 * generated initializers, takes a POSTed event and its subscriber logs it. Run by the {@code aot}
 * Maven profile after the jar is repackaged.
 */
class SampleApplicationAotIT {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final List<String> output = new CopyOnWriteArrayList<>();

	private Process process;

	@Test
	void runsTheAotProcessedSampleAndDeliversAPostedEvent() throws Exception {
		String built = System.getProperty("sample.jar");
		assumeTrue(built != null, "runs in the aot profile's execution, after process-aot and repackage");
		Path jar = Path.of(built);
		assertThat(jar).exists();
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		this.process = new ProcessBuilder(java.toString(), "-Dspring.aot.enabled=true", "-jar", jar.toString(),
				"--server.port=0", "--resquebus.worker.block-timeout=100ms", "--resquebus.driver.block-timeout=100ms")
			.redirectErrorStream(true)
			.start();
		Thread reader = new Thread(this::readOutput, "aot-sample-output");
		reader.setDaemon(true);
		reader.start();

		await().atMost(Duration.ofSeconds(90)).until(() -> port() != null || !this.process.isAlive());
		assertThat(this.process.isAlive()).as(String.join("\n", this.output)).isTrue();
		assertThat(this.output).anyMatch((line) -> line.contains("Starting AOT-processed SampleApplication"));

		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port() + "/events/user_created"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"id\":42,\"name\":\"John\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.output.stream().anyMatch((line) -> line.contains("user_created received: id=42 name=John")));
		assertThat(this.output).anyMatch((line) -> line.contains("user_created seen by the ^user_ subscriber"));
	}

	private String port() {
		for (String line : this.output) {
			Matcher matcher = PORT.matcher(line);
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		return null;
	}

	private void readOutput() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				this.output.add(line);
			}
		}
		catch (java.io.IOException ex) {
			// the process ended
		}
	}

	@AfterEach
	void stop() throws Exception {
		if (this.process != null) {
			this.process.destroy();
			if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
	}

}
