package io.resquebus.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import io.resquebus.BusListener;
import io.resquebus.BusListener.Handling;
import io.resquebus.BusSettings;
import io.resquebus.hook.BusHandlerInterceptor;
import io.resquebus.hook.InterceptedHandler;
import io.resquebus.hook.NamedInterceptor;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.PlainJob;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;

/**
 * Runs the plain Resque jobs the worker fetches (every job whose class is not
 * {@code QueueBus::Worker}): finds the handler by class (else the queue's catch-all), and calls
 * it inside the bus's interceptor chain with Resque's hooks, so metrics, tracing, interceptors
 * and error handlers see plain jobs as they see bus jobs. Interceptors see a plain job as an event
 * with the attributes {@code class} and {@code args}, its class as the subscription key.
 */
public final class ResqueJobRunner {

	/** The name the Resque hooks have in the interceptor chain. */
	public static final String HOOKS = "resqueJobHooks";

	private final BusSettings settings;

	private final ResqueJobs jobs;

	private final Supplier<List<NamedInterceptor>> interceptors;

	private final Supplier<List<ResqueJobHook>> hooks;

	/**
	 * @param interceptors the bus's interceptors in order, asked at each job
	 * @param hooks the Resque hooks in order, asked at each job
	 */
	public ResqueJobRunner(BusSettings settings, ResqueJobs jobs, Supplier<List<NamedInterceptor>> interceptors,
			Supplier<List<ResqueJobHook>> hooks) {
		this.settings = settings;
		this.jobs = jobs;
		this.interceptors = interceptors;
		this.hooks = hooks;
	}

	/** A runner with no interceptors and no hooks. */
	public ResqueJobRunner(BusSettings settings, ResqueJobs jobs) {
		this(settings, jobs, List::of, List::of);
	}

	public ResqueJobs jobs() {
		return this.jobs;
	}

	/**
	 * What to do with a fetched job.
	 * @return {@code null} for a bus job ({@code QueueBus::Worker}) or one that is no readable
	 * Resque job at all, which the bus's own path runs or fails
	 */
	public @Nullable Claim claim(String queue, String raw) {
		PlainJob job;
		try {
			job = this.settings.codec().parsePlainJob(raw);
		}
		catch (RuntimeException ex) {
			return null;
		}
		return claim(queue, job);
	}

	/**
	 * What to do with a fetched job already decoded as a plain Resque job.
	 * @return {@code null} for a bus job ({@code QueueBus::Worker}), which the bus's own path runs
	 */
	public @Nullable Claim claim(String queue, PlainJob job) {
		if (JobClasses.same(job.className(), JobClasses.WORKER)) {
			return null;
		}
		ResqueJobRegistration registration = this.jobs.find(queue, job.className()).orElse(null);
		if (registration == null) {
			return new Claim(job, null, this.jobs.unknownJobs() == ResqueJobs.UnknownJobs.LEAVE, null, null);
		}
		RetryPolicy retry = registration.retry();
		String counter = (retry != null) ? this.settings.keys().retryCounter(job.className(), job.args()) : null;
		return new Claim(job, registration, false, counter, retry);
	}

	/**
	 * Performs a claimed job in the calling thread; whatever goes wrong is thrown, for the worker
	 * to record. A job without a handler throws {@link UnknownJobClassException} before any hook
	 * runs, as Resque's {@code constantize} fails before its hooks.
	 * @param queue the queue the job came from
	 */
	public void perform(Claim claim, String queue, BusListener listener) throws Exception {
		PlainJob job = claim.job();
		ResqueJobRegistration registration = claim.registration();
		if (registration == null) {
			throw new UnknownJobClassException(job.className(), "this app (queue " + queue + ")");
		}
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("class", job.className());
		event.put("args", job.args());
		Handling handling = listener.handling(queue, job.className(), event);
		try {
			chain(job, registration.handler()).handle(new BusEvent(event));
		}
		catch (Exception | Error ex) {
			handling.failed(ex);
			throw ex;
		}
		handling.succeeded();
	}

	/** The handler inside the interceptor chain, the Resque hooks last in it, the around hooks inside. */
	private BusHandler chain(PlainJob job, ResqueJobHandler handler) {
		List<ResqueJobHook> hooks = this.hooks.get().stream().filter((hook) -> hook.appliesTo(job.className())).toList();
		List<NamedInterceptor> interceptors = this.interceptors.get();
		BusHandler perform = (event) -> around(hooks, 0, job, handler);
		if (interceptors.isEmpty() && hooks.isEmpty()) {
			return perform;
		}
		List<NamedInterceptor> chain = new ArrayList<>(interceptors);
		if (!hooks.isEmpty()) {
			chain.add(new NamedInterceptor(HOOKS, new HookInterceptor(job, hooks)));
		}
		return new InterceptedHandler(perform, job.className(), () -> chain, Set.of(), null);
	}

	private static void around(List<ResqueJobHook> hooks, int index, PlainJob job, ResqueJobHandler handler)
			throws Exception {
		if (index == hooks.size()) {
			handler.perform(job);
			return;
		}
		hooks.get(index).aroundPerform(job, () -> around(hooks, index + 1, job, handler));
	}

	/**
	 * Resque's before, after and on-failure hooks as one interceptor, each kind in order
	 * (Resque's after hooks run in order, not reversed as interceptors' after steps do).
	 */
	private static final class HookInterceptor implements BusHandlerInterceptor {

		private final PlainJob job;

		private final List<ResqueJobHook> hooks;

		HookInterceptor(PlainJob job, List<ResqueJobHook> hooks) {
			this.job = job;
			this.hooks = hooks;
		}

		@Override
		public boolean beforeHandle(BusEvent event, String subscriptionKey) throws Exception {
			try {
				for (ResqueJobHook hook : this.hooks) {
					if (!hook.beforePerform(this.job)) {
						return false;
					}
				}
				return true;
			}
			catch (Exception | Error ex) {
				// a before hook that raises fails the job and runs on_failure, as in Resque
				onError(event, subscriptionKey, ex);
				throw ex;
			}
		}

		@Override
		public void afterHandle(BusEvent event, String subscriptionKey) throws Exception {
			for (ResqueJobHook hook : this.hooks) {
				hook.afterPerform(this.job);
			}
		}

		@Override
		public void onError(BusEvent event, String subscriptionKey, Throwable error) {
			for (ResqueJobHook hook : this.hooks) {
				try {
					hook.onFailure(this.job, error);
				}
				catch (RuntimeException hookFailure) {
					error.addSuppressed(hookFailure);
				}
			}
		}

	}

	/**
	 * A fetched plain job and what to do with it.
	 *
	 * @param job the job
	 * @param registration its handler, or {@code null} when this app has none
	 * @param leave whether to leave it for another worker (no handler, {@link ResqueJobs.UnknownJobs#LEAVE})
	 * @param retryCounter its resque-retry counter key when its handler retries, else {@code null}
	 * @param retry its handler's retry policy, or {@code null} for none
	 */
	public record Claim(PlainJob job, @Nullable ResqueJobRegistration registration, boolean leave,
			@Nullable String retryCounter, @Nullable RetryPolicy retry) {
	}

}
