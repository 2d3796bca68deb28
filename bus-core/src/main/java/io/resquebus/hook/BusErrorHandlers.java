package io.resquebus.hook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.resquebus.BusEvent;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's error hooks: the failed job's own subscription's handler first, then every global
 * one (the handlers no subscription names). A hook that throws is logged; the others still run.
 */
public final class BusErrorHandlers {

	private static final Logger logger = LoggerFactory.getLogger(BusErrorHandlers.class);

	private final WireCodec codec;

	private final AppSubscriptions subscriptions;

	private final Supplier<Map<String, BusErrorHandler>> handlers;

	/**
	 * @param handlers every error handler by bean name, in order; asked at each failure, so it may
	 * be resolved lazily
	 */
	public BusErrorHandlers(WireCodec codec, AppSubscriptions subscriptions,
			Supplier<Map<String, BusErrorHandler>> handlers) {
		this.codec = codec;
		this.subscriptions = subscriptions;
		this.handlers = handlers;
	}

	/** Calls the hooks for a failed job; never throws. */
	public void failed(String queue, String rawJob, Throwable error) {
		Map<String, BusErrorHandler> all = this.handlers.get();
		if (all.isEmpty()) {
			return;
		}
		JobError job = read(queue, rawJob);
		String own = ownHandler(job.subscriptionKey());
		if (own != null) {
			BusErrorHandler handler = all.get(own);
			if (handler != null) {
				call(own, handler, job, error);
			}
		}
		Set<String> named = namedHandlers();
		Map<String, BusErrorHandler> globals = new LinkedHashMap<>(all);
		globals.keySet().removeAll(named);
		globals.forEach((name, handler) -> call(name, handler, job, error));
	}

	private JobError read(String queue, String rawJob) {
		try {
			BusJob job = this.codec.parseJob(rawJob);
			return new JobError(queue, rawJob, new BusEvent(job.event()), job.attribute(BusAttributes.RIDER_SUB_KEY));
		}
		catch (RuntimeException ex) {
			return new JobError(queue, rawJob, null, null);
		}
	}

	private @Nullable String ownHandler(@Nullable String subscriptionKey) {
		if (subscriptionKey == null) {
			return null;
		}
		return this.subscriptions.find(subscriptionKey)
			.map(LocalSubscription::handler)
			.filter(InterceptedHandler.class::isInstance)
			.map((handler) -> ((InterceptedHandler) handler).errorHandlerName())
			.orElse(null);
	}

	private Set<String> namedHandlers() {
		return this.subscriptions.all()
			.stream()
			.map(LocalSubscription::handler)
			.filter(InterceptedHandler.class::isInstance)
			.map((handler) -> ((InterceptedHandler) handler).errorHandlerName())
			.filter((name) -> name != null)
			.collect(Collectors.toSet());
	}

	private static void call(String name, BusErrorHandler handler, JobError job, Throwable error) {
		try {
			handler.handleError(job, error);
		}
		catch (RuntimeException ex) {
			logger.warn("Error handler '{}' threw while handling a failure on {}", name, job.queue(), ex);
		}
	}

}
