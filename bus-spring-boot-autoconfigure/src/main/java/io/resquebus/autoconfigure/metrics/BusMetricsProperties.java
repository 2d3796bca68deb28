package io.resquebus.autoconfigure.metrics;

import java.time.Duration;

import io.resquebus.micrometer.EventTypeTags;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the bus's meters and observations.
 */
@ConfigurationProperties("resquebus.metrics")
public class BusMetricsProperties {

	/**
	 * How many event types this app does not subscribe to by name get their own event type tag
	 * value; any further one is tagged "other".
	 */
	private int maxEventTypes = EventTypeTags.DEFAULT_MAX_OTHER_TYPES;

	private final QueueGauges queueGauges = new QueueGauges();

	public int getMaxEventTypes() {
		return this.maxEventTypes;
	}

	public void setMaxEventTypes(int maxEventTypes) {
		this.maxEventTypes = maxEventTypes;
	}

	public QueueGauges getQueueGauges() {
		return this.queueGauges;
	}

	/**
	 * Gauges of queue sizes and in-flight jobs.
	 */
	public static class QueueGauges {

		/**
		 * Whether to register the queue size and in-flight gauges. Each reading costs two
		 * pipelined Redis round trips.
		 */
		private boolean enabled;

		/**
		 * How long one reading of the queue sizes is reused.
		 */
		private Duration cacheTtl = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

	}

}
