package io.resquebus.autoconfigure.outbox;

import java.util.concurrent.CountDownLatch;

import io.resquebus.autoconfigure.outbox.OutboxApp.Orders;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The process {@link OutboxKillTests} kills: an {@link OutboxApp} that places one order and, once
 * its transaction committed but before the outbox sends the event (Spring runs every
 * {@code afterCommit} before the {@code afterCompletion} that sends), prints
 * {@code COMMITTED <bus_id>} and waits to be killed. Ends by itself after two minutes at most.
 * <p>
 * Arguments: JDBC URL, Redis URL, namespace.
 */
public final class OutboxCrashMain {

	private OutboxCrashMain() {
	}

	public static void main(String[] args) throws Exception {
		Thread limit = new Thread(() -> {
			try {
				Thread.sleep(120_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Runtime.getRuntime().halt(3);
		});
		limit.setDaemon(true);
		limit.start();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OutboxApp.class)
			.properties(OutboxKillTests.properties(args[0], args[1], args[2]))
			.properties("resquebus.publish.outbox.stale-after=1h")
			.run();
		CountDownLatch never = new CountDownLatch(1);
		context.getBean(Orders.class).place(7, (busId) -> TransactionSynchronizationManager
			.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					System.out.println("COMMITTED " + busId);
					System.out.flush();
					try {
						never.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}

			}));
	}

}
