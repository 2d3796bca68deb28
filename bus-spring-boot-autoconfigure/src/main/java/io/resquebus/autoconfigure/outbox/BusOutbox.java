package io.resquebus.autoconfigure.outbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.resquebus.publish.EventTransport;
import io.resquebus.publish.TransactionalTransport;
import io.resquebus.wire.WireCodec;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends publishes made in a transaction through Spring Modulith's event publication registry: the
 * {@link #transport() transport} turns such a send into a {@link BusOutboxEvent}, which Modulith
 * stores in the same transaction; after the commit {@link #send} pushes it to Redis, and Modulith
 * marks the publication completed only if that returned normally. A failed send stays incomplete
 * for {@link BusOutboxResubmitter} to retry. Outside a transaction events are sent at once.
 * <p>
 * Not final: Modulith advises the listener method to record its outcome.
 */
public class BusOutbox {

	private final EventTransport delegate;

	private final ApplicationEventPublisher events;

	private final WireCodec codec;

	private final EventTransport transport;

	private final AtomicLong failedSends = new AtomicLong();

	/**
	 * @param delegate the transport that talks to Redis
	 * @param events where the outbox events go: the context, whose multicaster is Modulith's
	 * @param codec encodes a delayed event for storage and decodes it to send
	 */
	public BusOutbox(EventTransport delegate, ApplicationEventPublisher events, WireCodec codec) {
		this.delegate = delegate;
		this.events = events;
		this.codec = codec;
		this.transport = new OutboxTransport();
	}

	/** The transport a {@code BusTemplate} publishes through. */
	public EventTransport transport() {
		return this.transport;
	}

	/**
	 * Sends a stored publish once its transaction committed, or again when resubmitted. Throws if
	 * Redis did not take it, which leaves the publication incomplete.
	 * @param event what was published
	 */
	@TransactionalEventListener
	public void send(BusOutboxEvent event) {
		String delayed = event.delayed();
		try {
			if (delayed != null) {
				this.delegate.schedule(event.due(), this.codec.readObject(delayed), event.what());
			}
			else {
				this.delegate.send(event.jobs(), event.what());
			}
		}
		catch (RuntimeException ex) {
			this.failedSends.incrementAndGet();
			throw ex;
		}
	}

	/** How many sends failed so far, so that retries stop for a while once one failed. */
	long failedSends() {
		return this.failedSends.get();
	}

	private final class OutboxTransport implements EventTransport {

		@Override
		public void send(List<String> jobs, String what) {
			if (TransactionalTransport.inTransaction()) {
				BusOutbox.this.events.publishEvent(BusOutboxEvent.send(jobs, what));
			}
			else {
				BusOutbox.this.delegate.send(jobs, what);
			}
		}

		@Override
		public CompletableFuture<Void> sendAsync(List<String> jobs, String what) {
			if (TransactionalTransport.inTransaction()) {
				return EventTransport.synchronously(() -> send(jobs, what));
			}
			return BusOutbox.this.delegate.sendAsync(jobs, what);
		}

		@Override
		public void schedule(long due, Map<String, Object> delayed, String what) {
			if (TransactionalTransport.inTransaction()) {
				BusOutbox.this.events
					.publishEvent(BusOutboxEvent.schedule(due, BusOutbox.this.codec.eventJson(delayed), what));
			}
			else {
				BusOutbox.this.delegate.schedule(due, delayed, what);
			}
		}

		@Override
		public boolean runsLocalHandlers() {
			return BusOutbox.this.delegate.runsLocalHandlers();
		}

	}

}
