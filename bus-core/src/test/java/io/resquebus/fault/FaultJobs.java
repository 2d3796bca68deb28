package io.resquebus.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.BusHandler;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.support.TestBus;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.WireCodec;
import io.resquebus.worker.WorkerRunner;

/**
 * The one app the fault tests run: app {@code app}, subscription {@code s_default} on queue
 * {@code app_default} for events of type {@code fault}.
 */
final class FaultJobs {

	static final String APP = "app";

	static final String SUB_KEY = "s_default";

	static final String QUEUE = "app_default";

	static final String EVENT_TYPE = "fault";

	private static final WireCodec codec = new WireCodec();

	private FaultJobs() {
	}

	static AppSubscriptions subscriptions(BusHandler handler) {
		AppSubscriptions subscriptions = new AppSubscriptions(APP);
		subscriptions.add(new LocalSubscription(SUB_KEY, LocalSubscription.DEFAULT_QUEUE,
				LocalSubscription.eventType(EVENT_TYPE), handler, "fault-test"));
		return subscriptions;
	}

	/** A rider job for the subscription, as a driver would have pushed it. */
	static String riderJob(String busId) {
		return codec.job(Map.of(BusAttributes.RIDER_APP_KEY, APP, BusAttributes.RIDER_SUB_KEY, SUB_KEY,
				BusAttributes.ID, busId, BusAttributes.EVENT_TYPE, EVENT_TYPE, BusAttributes.CLASS_PROXY,
				JobClasses.RIDER));
	}

	/** A rider job whose event also has a {@code padding} attribute. */
	static String riderJob(String busId, String padding) {
		return codec.job(Map.of(BusAttributes.RIDER_APP_KEY, APP, BusAttributes.RIDER_SUB_KEY, SUB_KEY,
				BusAttributes.ID, busId, BusAttributes.EVENT_TYPE, EVENT_TYPE, BusAttributes.CLASS_PROXY,
				JobClasses.RIDER, "padding", padding));
	}

	/** An incoming job for the driver, of the fault event type, with a {@code text} attribute. */
	static String driverJob(String busId, String text) {
		return codec.job(Map.of(BusAttributes.EVENT_TYPE, EVENT_TYPE, BusAttributes.ID, busId,
				BusAttributes.CLASS_PROXY, JobClasses.DRIVER, "text", text));
	}

	/** A worker (not started) for the subscription, taking batches of 10 on the test's bus. */
	static WorkerRunner worker(TestBus bus, BusHandler handler) {
		return new WorkerRunner(bus.redis(), bus.settings(), subscriptions(handler), List.of(), 10,
				Duration.ofMillis(100));
	}

	static String busId(String job) {
		return (String) codec.parseJob(job).event().get(BusAttributes.ID);
	}

	/** How many jobs the in-flight lists under the test's namespace hold, all consumers together. */
	static long inflightJobs(TestBus bus) {
		return bus.template()
			.keys("{" + bus.namespace() + ":queue:*}:inflight:*")
			.stream()
			.mapToLong((key) -> bus.list(key).size())
			.sum();
	}

	/** The test hash where handlers count each {@code bus_id} they ran, under the test's namespace. */
	static String handledKey(String namespace) {
		return namespace + ":fault:handled";
	}

}
