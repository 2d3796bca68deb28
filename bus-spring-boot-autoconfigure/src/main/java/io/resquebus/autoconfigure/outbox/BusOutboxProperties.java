package io.resquebus.autoconfigure.outbox;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the transactional outbox, used when Spring Modulith's event publication registry
 * is present (for example with {@code spring-modulith-starter-jdbc}).
 */
@ConfigurationProperties("resquebus.publish.outbox")
public class BusOutboxProperties {

	/**
	 * Whether a publish in a transaction goes through Spring Modulith's event publication
	 * registry, stored with the transaction and retried until Redis takes it. Needs
	 * 'resquebus.publish.transactional' and a Modulith registry; without them publishing in a
	 * transaction only waits for the commit.
	 */
	private boolean enabled = true;

	/**
	 * Whether application events that Spring Modulith externalizes ('@Externalized') are
	 * published on the bus, the externalization target being the event type.
	 */
	private boolean externalize = true;

	/**
	 * How often incomplete publications of the bus are looked for in the registry.
	 */
	private Duration checkInterval = Duration.ofSeconds(1);

	/**
	 * How long after a failed send it is first retried; each further failure doubles the wait.
	 */
	private Duration initialBackoff = Duration.ofSeconds(1);

	/**
	 * Longest wait between two retries of a publication.
	 */
	private Duration maxBackoff = Duration.ofMinutes(1);

	/**
	 * Age after which a publication that is still neither completed nor failed (its process
	 * died between the commit and the send) is sent again. A send still in progress elsewhere
	 * then goes out twice, with the same bus_id.
	 */
	private Duration staleAfter = Duration.ofMinutes(1);

	/**
	 * How long completed publications of the bus stay in the registry before they are deleted
	 * ('spring.modulith.events.completion-mode=delete' deletes them at once instead).
	 */
	private @Nullable Duration keepCompleted = Duration.ofHours(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isExternalize() {
		return this.externalize;
	}

	public void setExternalize(boolean externalize) {
		this.externalize = externalize;
	}

	public Duration getCheckInterval() {
		return this.checkInterval;
	}

	public void setCheckInterval(Duration checkInterval) {
		this.checkInterval = checkInterval;
	}

	public Duration getInitialBackoff() {
		return this.initialBackoff;
	}

	public void setInitialBackoff(Duration initialBackoff) {
		this.initialBackoff = initialBackoff;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
	}

	public Duration getStaleAfter() {
		return this.staleAfter;
	}

	public void setStaleAfter(Duration staleAfter) {
		this.staleAfter = staleAfter;
	}

	public @Nullable Duration getKeepCompleted() {
		return this.keepCompleted;
	}

	public void setKeepCompleted(@Nullable Duration keepCompleted) {
		this.keepCompleted = keepCompleted;
	}

}
