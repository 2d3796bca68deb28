package io.resquebus.runner;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.resquebus.support.TestBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code stop(Runnable)}: a runner stops on a thread of its own, so runners of the same phase stop
 * in parallel, and a runner not started for want of auto-startup stays stopped.
 */
class BusRunnerParallelStopTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	@Test
	void stopsTwoBusyRunnersAtTheSameTimeAndCallsBackWhenEachHasStopped() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		BlockingRunner first = new BlockingRunner(this.bus, "first", release);
		BlockingRunner second = new BlockingRunner(this.bus, "second", release);
		first.start();
		second.start();
		assertThat(first.polling.await(20, TimeUnit.SECONDS)).isTrue();
		assertThat(second.polling.await(20, TimeUnit.SECONDS)).isTrue();
		CountDownLatch firstStopped = new CountDownLatch(1);
		CountDownLatch secondStopped = new CountDownLatch(1);

		first.stop(firstStopped::countDown);
		second.stop(secondStopped::countDown);

		// Both calls returned, and both runners are stopping, while both consumers are still busy:
		// the two stops are under way together.
		await().atMost(Duration.ofSeconds(20)).until(() -> !first.isRunning() && !second.isRunning());
		assertThat(firstStopped.getCount()).isOne();
		assertThat(secondStopped.getCount()).isOne();
		release.countDown();
		assertThat(firstStopped.await(20, TimeUnit.SECONDS)).isTrue();
		assertThat(secondStopped.await(20, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void callsBackAtOnceWhenNotRunning() {
		BlockingRunner runner = new BlockingRunner(this.bus, "idle", new CountDownLatch(0));
		boolean[] called = new boolean[1];

		runner.stop(() -> called[0] = true);

		assertThat(called[0]).isTrue();
	}

	@Test
	void leavesARunnerWithoutAutoStartupStoppedWhenTheContextStarts() {
		BlockingRunner runner = new BlockingRunner(this.bus, "manual", new CountDownLatch(0));
		runner.setAutoStartup(false);
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.registerBean("lifecycleProcessor", DefaultLifecycleProcessor.class);
			context.registerBean("manual", BlockingRunner.class, () -> runner);
			context.refresh();

			assertThat(runner.isRunning()).isFalse();
			runner.start();
			await().atMost(Duration.ofSeconds(20)).until(runner::isRunning);
		}
		assertThat(runner.isRunning()).isFalse();
	}

	static final class BlockingRunner extends BusRunner {

		final CountDownLatch polling = new CountDownLatch(1);

		private final CountDownLatch release;

		BlockingRunner(TestBus bus, String name, CountDownLatch release) {
			super(bus.redis(), name);
			this.release = release;
			setShutdownTimeout(Duration.ofMinutes(2));
		}

		@Override
		protected int consumers() {
			return 1;
		}

		@Override
		protected void poll(int consumer, RedisConnection connection) {
			this.polling.countDown();
			try {
				this.release.await(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
