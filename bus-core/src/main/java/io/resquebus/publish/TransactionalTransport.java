package io.resquebus.publish;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends with the caller's Spring transaction: inside an active transaction an event is sent only
 * once the transaction has committed, and never if it rolls back; outside a transaction it is sent
 * at once, as by the transport it wraps.
 * <p>
 * The send runs in {@code afterCompletion} with the committed status, as Spring's own
 * {@code @TransactionalEventListener(AFTER_COMMIT)} does, so an event published from another
 * synchronization's {@code afterCommit} is still sent. During {@code afterCompletion}
 * (a {@code @TransactionalEventListener}) Spring has already cleared the synchronizations, so such a
 * publish is sent at once. A send that fails after the commit cannot undo the commit and reaches no
 * caller: it is logged at ERROR with the event's {@code bus_id}.
 */
public final class TransactionalTransport implements EventTransport {

	private static final Logger logger = LoggerFactory.getLogger(TransactionalTransport.class);

	private final EventTransport delegate;

	public TransactionalTransport(EventTransport delegate) {
		this.delegate = delegate;
	}

	@Override
	public void send(List<String> jobs, String what) {
		deferOrRun(() -> this.delegate.send(jobs, what), what);
	}

	/**
	 * Outside a transaction, as the wrapped transport sends asynchronously (sharing round trips);
	 * inside one, deferred to the commit as {@link #send} is, the future completing at once.
	 */
	@Override
	public CompletableFuture<Void> sendAsync(List<String> jobs, String what) {
		if (!inTransaction()) {
			return this.delegate.sendAsync(jobs, what);
		}
		return EventTransport.synchronously(() -> send(jobs, what));
	}

	@Override
	public void schedule(long due, Map<String, Object> delayed, String what) {
		deferOrRun(() -> this.delegate.schedule(due, delayed, what), what);
	}

	@Override
	public boolean runsLocalHandlers() {
		return this.delegate.runsLocalHandlers();
	}

	/** Whether a send now would wait for a transaction to commit. */
	public static boolean inTransaction() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	private static void deferOrRun(Runnable send, String what) {
		if (!inTransaction()) {
			send.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new AfterCommit(send, what));
	}

	private record AfterCommit(Runnable send, String what) implements TransactionSynchronization {

		@Override
		public void afterCompletion(int status) {
			if (status != STATUS_COMMITTED) {
				logger.debug("Not publishing {}: the transaction did not commit", this.what);
				return;
			}
			try {
				this.send.run();
			}
			catch (RuntimeException ex) {
				logger.error("Could not publish {} after its transaction committed; the event is lost", this.what,
						ex);
			}
		}

	}

}
