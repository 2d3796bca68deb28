package io.resquebus.job;

import java.time.Duration;
import java.util.List;

import io.resquebus.BusSettings;
import io.resquebus.hook.NamedInterceptor;
import io.resquebus.runner.ConsumerRegistry;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.support.TestBus;
import io.resquebus.worker.WorkerRunner;

import static org.awaitility.Awaitility.await;

/** A worker runner with plain-job handlers and Resque hooks, registered as Resque workers are. */
final class PlainJobWorker {

	private PlainJobWorker() {
	}

	static WorkerRunner start(TestBus bus, BusSettings settings, ResqueJobs jobs, List<ResqueJobHook> hooks,
			List<String> queues) {
		return start(bus, settings, new ResqueJobRunner(settings, jobs, List::<NamedInterceptor>of, () -> hooks),
				queues);
	}

	static WorkerRunner start(TestBus bus, BusSettings settings, ResqueJobRunner plainJobs, List<String> queues) {
		WorkerRunner runner = new WorkerRunner(bus.redis(), settings, new AppSubscriptions(null), queues, 1,
				Duration.ofMillis(100));
		runner.setConsumerRegistry(new ConsumerRegistry(bus.redis(), settings, Duration.ofSeconds(30)));
		runner.setPlainJobs(plainJobs);
		runner.start();
		return runner;
	}

	/** Waits until {@code stat:processed} reaches {@code processed}. */
	static void awaitProcessed(TestBus bus, long processed) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> Long.toString(processed).equals(bus.get(bus.keys().statProcessed())));
	}

}
