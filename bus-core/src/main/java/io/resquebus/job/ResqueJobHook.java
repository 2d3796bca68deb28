package io.resquebus.job;

import io.resquebus.wire.PlainJob;

/**
 * Resque's job hooks in Java clothes, run in Resque's order (golden {@code hooks_order.json}):
 * every {@code beforePerform}, then the {@code aroundPerform}s nested (the first outermost), the
 * job, then every {@code afterPerform}; when anything of that throws, every {@code onFailure}
 * before the failure is recorded. Hooks run in {@code @Order} of their beans, as Resque runs
 * them sorted by name. They run inside the bus's interceptor chain (after the
 * {@link io.resquebus.hook.BusHandlerInterceptor}s) and before the error handlers
 * ({@link io.resquebus.hook.BusErrorHandler}), which run after the failure is recorded.
 */
public interface ResqueJobHook {

	/** Whether this hook applies to jobs of {@code jobClass}; all of them unless overridden. */
	default boolean appliesTo(String jobClass) {
		return true;
	}

	/**
	 * Resque's {@code before_perform}.
	 * @return {@code false} to skip the job as Resque's {@code DontPerform} does: no later hook
	 * runs, nothing is failed, the job counts as processed
	 */
	default boolean beforePerform(PlainJob job) throws Exception {
		return true;
	}

	/** Resque's {@code around_perform}: call {@code perform.proceed()} to run the job (and inner hooks). */
	default void aroundPerform(PlainJob job, Perform perform) throws Exception {
		perform.proceed();
	}

	/** Resque's {@code after_perform}, after the job and the around hooks returned. */
	default void afterPerform(PlainJob job) throws Exception {
	}

	/**
	 * Resque's {@code on_failure}: a hook, the job or an around hook threw; runs before the failure
	 * is recorded. What it throws is added to the failure as suppressed.
	 */
	default void onFailure(PlainJob job, Throwable error) {
	}

	/** The rest of the perform chain. */
	@FunctionalInterface
	interface Perform {

		void proceed() throws Exception;

	}

}
