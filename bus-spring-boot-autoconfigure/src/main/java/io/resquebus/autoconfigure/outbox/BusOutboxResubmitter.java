package io.resquebus.autoconfigure.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.core.TargetEventPublication;

/**
 * Retries the bus's incomplete publications in Spring Modulith's registry, in one background
 * thread: a failed one after a back-off that doubles with each attempt (from
 * {@code initial-backoff} up to {@code max-backoff}); one neither completed nor failed once older
 * than {@code stale-after}, as its process died between the commit and the send (checked at once
 * on start, so a restart sends what a crash left). Within one check, retries stop at the first
 * send that fails, so that a Redis outage costs one publish timeout per check, not one per event.
 * Deletes the bus's completed publications after {@code keep-completed}. Other listeners'
 * publications are left to the application.
 */
public class BusOutboxResubmitter implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(BusOutboxResubmitter.class);

	private static final Duration MAX_CLEANUP_INTERVAL = Duration.ofMinutes(1);

	private final BusOutbox outbox;

	private final IncompleteEventPublications incomplete;

	private final CompletedEventPublications completed;

	private final BusOutboxProperties properties;

	private volatile @Nullable ScheduledExecutorService executor;

	private Instant lastCleanup = Instant.MIN;

	public BusOutboxResubmitter(BusOutbox outbox, IncompleteEventPublications incomplete,
			CompletedEventPublications completed, BusOutboxProperties properties) {
		this.outbox = outbox;
		this.incomplete = incomplete;
		this.completed = completed;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "resquebus-outbox");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::check, 0, this.properties.getCheckInterval().toMillis(),
				TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		executor.shutdown();
		try {
			if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/** Resubmits what is due, then cleans up; runs every {@code check-interval}. */
	void check() {
		try {
			Instant now = Instant.now();
			long failedBefore = this.outbox.failedSends();
			this.incomplete.resubmitIncompletePublications(
					(publication) -> this.outbox.failedSends() == failedBefore && isBus(publication)
							&& isDue(publication, now));
			cleanUp(now);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not check the bus's outbox; will try again", ex);
		}
	}

	private void cleanUp(Instant now) {
		Duration keep = this.properties.getKeepCompleted();
		if (keep == null) {
			return;
		}
		Duration interval = (keep.compareTo(MAX_CLEANUP_INTERVAL) < 0) ? keep : MAX_CLEANUP_INTERVAL;
		if (now.isBefore(this.lastCleanup.plus(interval))) {
			return;
		}
		this.lastCleanup = now;
		Instant before = now.minus(keep);
		this.completed.deletePublications((publication) -> isBus(publication)
				&& publication.getCompletionDate().map((date) -> date.isBefore(before)).orElse(false));
	}

	/** The outbox's publications and those of the bus's externalizer. */
	static boolean isBus(EventPublication publication) {
		if (publication.getEvent() instanceof BusOutboxEvent) {
			return true;
		}
		return publication instanceof TargetEventPublication target
				&& target.getTargetIdentifier().getValue().startsWith(BusEventExternalizer.class.getName() + ".");
	}

	private boolean isDue(EventPublication publication, Instant now) {
		EventPublication.Status status = publication.getStatus();
		if (status == EventPublication.Status.FAILED) {
			Instant last = publication.getLastResubmissionDate();
			Instant since = (last != null) ? last : publication.getPublicationDate();
			return !now.isBefore(since.plus(backoff(this.properties, publication.getCompletionAttempts())));
		}
		if (status == null || status == EventPublication.Status.PUBLISHED
				|| status == EventPublication.Status.PROCESSING) {
			return publication.getPublicationDate().isBefore(now.minus(this.properties.getStaleAfter()));
		}
		return false;
	}

	/** The initial back-off doubled per attempt so far, at most the maximum. */
	static Duration backoff(BusOutboxProperties properties, int attempts) {
		Duration max = properties.getMaxBackoff();
		Duration backoff = properties.getInitialBackoff();
		for (int i = 0; i < attempts && backoff.compareTo(max) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(max) < 0) ? backoff : max;
	}

}
