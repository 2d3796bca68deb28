package io.resquebus.runner;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starting and stopping runners.
 */
class BusRunnerTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void stopsAConsumerThatIsStillPreparingWithoutWaitingForTheShutdownTimeout() throws Exception {
		CountDownLatch preparing = new CountDownLatch(1);
		CountDownLatch stopCalled = new CountDownLatch(1);
		BusRunner runner = new BusRunner(this.bus.redis(), "test-runner") {

			@Override
			protected int consumers() {
				return 1;
			}

			@Override
			protected void prepare(int consumer, RedisConnection connection) {
				preparing.countDown();
				awaitQuietly(stopCalled);
				synchronized (this) {
					// Runners guard their per-consumer state with their own lock, as DriverRunner does.
				}
			}

			@Override
			protected void poll(int consumer, RedisConnection connection) {
			}

		};
		runner.setShutdownTimeout(Duration.ofMinutes(2));
		runner.start();
		assertThat(preparing.await(20, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(runner::stop);
		await().atMost(Duration.ofSeconds(20)).until(() -> !runner.isRunning());
		stopCalled.countDown();
		await().atMost(Duration.ofSeconds(20)).until(stopping::isDone);
		assertThat(stopping).isCompletedWithValue(null);
	}

	@Test
	void makesItsConsumerThreadsWithTheFactoryItIsGiven() {
		java.util.List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.List<Thread> polled = new java.util.concurrent.CopyOnWriteArrayList<>();
		BusRunner runner = new BusRunner(this.bus.redis(), "test-runner") {

			@Override
			protected int consumers() {
				return 2;
			}

			@Override
			protected void poll(int consumer, RedisConnection connection) {
				if (!polled.contains(Thread.currentThread())) {
					polled.add(Thread.currentThread());
				}
				java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
			}

		};
		runner.setThreadFactory((task) -> {
			Thread thread = new Thread(task);
			thread.setDaemon(true);
			made.add(thread);
			return thread;
		});
		runner.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> polled.size() == 2);
		}
		finally {
			runner.stop();
		}
		assertThat(polled).containsExactlyInAnyOrderElementsOf(made);
		assertThat(made).extracting(Thread::getName).containsExactlyInAnyOrder("test-runner-0", "test-runner-1");
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
