package io.resquebus.autoconfigure.outbox;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the outbox is configured: with Spring Modulith's JDBC registry (on H2) and transactional
 * publishing, unless switched off. The 'inline' local mode keeps Redis out of these contexts.
 */
@EnabledIf("io.resquebus.autoconfigure.outbox.Outbox#modulithPresent")
class BusOutboxAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(OutboxApp.class)
		.withPropertyValues("resquebus.local-mode=inline", "resquebus.app-key=outbox_app",
				"outbox.test.jdbc-url=jdbc:h2:mem:outbox-config-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void configuresTheOutboxAndTheExternalizerWithModulithsRegistry() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(BusOutbox.class);
			assertThat(context).hasSingleBean(BusOutboxResubmitter.class);
			assertThat(context).hasSingleBean(BusEventExternalizer.class);
		});
	}

	@Test
	void configuresNothingWhenTheOutboxIsSwitchedOff() {
		this.runner.withPropertyValues("resquebus.publish.outbox.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(BusOutbox.class);
			assertThat(context).doesNotHaveBean(BusOutboxResubmitter.class);
			assertThat(context).doesNotHaveBean(BusEventExternalizer.class);
		});
	}

	@Test
	void usesNoOutboxWhenPublishingIgnoresTransactions() {
		this.runner.withPropertyValues("resquebus.publish.transactional=false").run((context) -> {
			assertThat(context).doesNotHaveBean(BusOutbox.class);
			assertThat(context).hasSingleBean(BusEventExternalizer.class);
		});
	}

	@Test
	void externalizesNothingWhenTold() {
		this.runner.withPropertyValues("resquebus.publish.outbox.externalize=false").run((context) -> {
			assertThat(context).hasSingleBean(BusOutbox.class);
			assertThat(context).doesNotHaveBean(BusEventExternalizer.class);
		});
	}

	@Test
	void backsOffDoublingFromTheInitialWaitUpToTheMaximum() {
		BusOutboxProperties properties = new BusOutboxProperties();
		properties.setInitialBackoff(Duration.ofSeconds(1));
		properties.setMaxBackoff(Duration.ofSeconds(10));

		assertThat(BusOutboxResubmitter.backoff(properties, 0)).isEqualTo(Duration.ofSeconds(1));
		assertThat(BusOutboxResubmitter.backoff(properties, 3)).isEqualTo(Duration.ofSeconds(8));
		assertThat(BusOutboxResubmitter.backoff(properties, 4)).isEqualTo(Duration.ofSeconds(10));
		assertThat(BusOutboxResubmitter.backoff(properties, Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
	}

}
