package io.resquebus.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous publishes through the transactional wrapper stay asynchronous outside a transaction
 * and wait for the commit inside one.
 */
class TransactionalTransportTests {

	private final RecordingTransport delegate = new RecordingTransport();

	private final TransactionalTransport transport = new TransactionalTransport(this.delegate);

	@AfterEach
	void clearTransaction() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
		TransactionSynchronizationManager.setActualTransactionActive(false);
	}

	@Test
	void sendsAsynchronouslyThroughTheWrappedTransportOutsideATransaction() {
		CompletableFuture<Void> sent = this.transport.sendAsync(List.of("job"), "event");
		assertThat(this.delegate.calls).containsExactly("sendAsync [job]");
		assertThat(sent).isNotDone();
		this.delegate.pending.complete(null);
		assertThat(sent).isCompleted();
	}

	@Test
	void sendsAnAsynchronousPublishOnlyOnceTheTransactionCommits() {
		TransactionSynchronizationManager.initSynchronization();
		TransactionSynchronizationManager.setActualTransactionActive(true);
		CompletableFuture<Void> sent = this.transport.sendAsync(List.of("job"), "event");
		assertThat(sent).isCompleted();
		assertThat(this.delegate.calls).isEmpty();
		List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
		synchronizations.forEach((synchronization) -> synchronization
			.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
		assertThat(this.delegate.calls).containsExactly("send [job]");
	}

	private static final class RecordingTransport implements EventTransport {

		final List<String> calls = new ArrayList<>();

		final CompletableFuture<Void> pending = new CompletableFuture<>();

		@Override
		public void send(List<String> jobs, String what) {
			this.calls.add("send " + jobs);
		}

		@Override
		public CompletableFuture<Void> sendAsync(List<String> jobs, String what) {
			this.calls.add("sendAsync " + jobs);
			return this.pending;
		}

		@Override
		public void schedule(long due, Map<String, Object> delayed, String what) {
			this.calls.add("schedule " + due);
		}

	}

}
