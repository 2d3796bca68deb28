package io.resquebus.autoconfigure.outbox;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.resquebus.BusSettings;
import io.resquebus.autoconfigure.outbox.OutboxApp.Orders;
import io.resquebus.publish.EventTransport;
import io.resquebus.publish.QueuedTransport;
import io.resquebus.redis.BusRedis;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The process {@link OutboxKillTests} kills: an {@link OutboxApp} that places one order, prints
 * {@code COMMITTED <bus_id>} once its transaction committed, and then waits to be killed at the
 * point the first argument names:
 * <ul>
 * <li>{@code after-commit}: before the outbox sends the event (Spring runs every
 * {@code afterCommit} before the {@code afterCompletion} that sends);</li>
 * <li>{@code after-send}: once Redis took the event, before Modulith records the completion
 * (the transport prints {@code SENT}).</li>
 * </ul>
 * Ends by itself after two minutes at most. Arguments: mode, JDBC URL, Redis URL, namespace.
 */
public final class OutboxCrashMain {

	private static final CountDownLatch never = new CountDownLatch(1);

	private OutboxCrashMain() {
	}

	public static void main(String[] args) throws Exception {
		limitLifetime();
		boolean afterSend = args[0].equals("after-send");
		Class<?>[] sources = afterSend ? new Class<?>[] { OutboxApp.class, HangAfterSend.class }
				: new Class<?>[] { OutboxApp.class };
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources)
			.properties(OutboxKillTests.properties(args[1], args[2], args[3]))
			.properties("resquebus.publish.outbox.stale-after=1h")
			.run();
		context.getBean(Orders.class).place(7, (busId) -> TransactionSynchronizationManager
			.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					System.out.println("COMMITTED " + busId);
					System.out.flush();
					if (!afterSend) {
						hang();
					}
				}

			}));
	}

	private static void hang() {
		try {
			never.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void limitLifetime() {
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
	}

	/** The bus's transport, hanging once Redis took the events. */
	@Configuration(proxyBeanMethods = false)
	static class HangAfterSend {

		@Bean
		EventTransport hangingTransport(BusRedis redis, BusSettings settings) {
			return new QueuedTransport(redis, settings) {

				@Override
				public void send(List<String> jobs, String what) {
					super.send(jobs, what);
					System.out.println("SENT " + what);
					System.out.flush();
					hang();
				}

			};
		}

	}

}
