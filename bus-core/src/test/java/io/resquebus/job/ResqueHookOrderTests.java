package io.resquebus.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.PlainJob;
import io.resquebus.worker.WorkerRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resque's hooks run in Java clothes in Resque's order, with the Redis state Resque shows at each
 * (golden {@code resque/hooks_order.json}): one case per test, the recorded calls compared with
 * Ruby's, hook for hook.
 */
class ResqueHookOrderTests {

	@RegisterExtension
	final TestBus bus = new TestBus();

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final List<Map<String, Object>> stateAtFailure = new CopyOnWriteArrayList<>();

	private volatile WorkerRunner runner;

	/** Records its calls under Resque's hook names, {@code <kind>_<name>}. */
	private class Recording implements ResqueJobHook {

		private final String jobClass;

		private final String name;

		private final boolean before;

		private final boolean around;

		private final boolean after;

		Recording(String jobClass, String name, boolean before, boolean around, boolean after) {
			this.jobClass = jobClass;
			this.name = name;
			this.before = before;
			this.around = around;
			this.after = after;
		}

		@Override
		public boolean appliesTo(String jobClass) {
			return this.jobClass.equals(jobClass);
		}

		@Override
		public boolean beforePerform(PlainJob job) {
			if (this.before) {
				ResqueHookOrderTests.this.calls.add("before_perform_" + this.name);
			}
			return true;
		}

		@Override
		public void aroundPerform(PlainJob job, Perform perform) throws Exception {
			if (!this.around) {
				perform.proceed();
				return;
			}
			ResqueHookOrderTests.this.calls.add("around_perform_" + this.name + " (before yield)");
			perform.proceed();
			ResqueHookOrderTests.this.calls.add("around_perform_" + this.name + " (after yield)");
		}

		@Override
		public void afterPerform(PlainJob job) {
			if (this.after) {
				ResqueHookOrderTests.this.calls.add("after_perform_" + this.name);
			}
		}

		@Override
		public void onFailure(PlainJob job, Throwable error) {
			if (this.before) {
				ResqueHookOrderTests.this.calls.add("on_failure_" + this.name);
				ResqueHookOrderTests.this.stateAtFailure.add(state());
			}
		}

	}

	private Map<String, Object> state() {
		BusKeys keys = this.bus.keys();
		// the worker registers before it fetches; this.runner may not be assigned yet when the job runs
		String id = this.bus.members(keys.workers()).iterator().next();
		return Map.of("llen resque:failed", this.bus.list(keys.failed()).size(), "stat:failed",
				String.valueOf(this.bus.get(keys.statFailed())), "stat:processed",
				String.valueOf(this.bus.get(keys.statProcessed())), "worker:<id> set",
				this.bus.template().hasKey(keys.worker(id)));
	}

	private List<ResqueJobHook> hooks() {
		List<ResqueJobHook> hooks = new ArrayList<>();
		hooks.add(new Recording("HookJob", "audit", true, true, true));
		hooks.add(new Recording("HookJobMulti", "a", true, false, true));
		hooks.add(new Recording("HookJobMulti", "b", true, false, true));
		hooks.add(new Recording("HookJobMulti", "x", false, true, false));
		hooks.add(new Recording("HookJobMulti", "y", false, true, false));
		hooks.add(new ResqueJobHook() {
			@Override
			public boolean appliesTo(String jobClass) {
				return jobClass.equals("HookDontPerform");
			}

			@Override
			public boolean beforePerform(PlainJob job) {
				ResqueHookOrderTests.this.calls.add("before_perform_stop (raises Resque::Job::DontPerform)");
				return false;
			}
		});
		hooks.add(new ResqueJobHook() {
			@Override
			public boolean appliesTo(String jobClass) {
				return jobClass.equals("HookBeforeRaises");
			}

			@Override
			public boolean beforePerform(PlainJob job) {
				ResqueHookOrderTests.this.calls.add("before_perform_audit (raises RuntimeError)");
				throw new RuntimeException("before hook blew up");
			}

			@Override
			public void onFailure(PlainJob job, Throwable error) {
				ResqueHookOrderTests.this.calls.add("on_failure_audit");
				ResqueHookOrderTests.this.stateAtFailure.add(state());
			}
		});
		return hooks;
	}

	private ResqueJobs jobs() {
		ResqueJobs jobs = new ResqueJobs();
		for (String jobClass : List.of("HookJob", "HookJobMulti", "HookDontPerform", "HookBeforeRaises")) {
			String message = jobClass.equals("HookJob") ? "hook job fails" : "multi job fails";
			jobs.handle(jobClass, "hooks", (job) -> {
				this.calls.add("perform");
				if ("fail".equals(job.arg(0))) {
					throw new IllegalArgumentException(message);
				}
			});
		}
		return jobs;
	}

	private void assertCase(String name, String jobClass, Object... args) throws Exception {
		JsonNode expected = JsonMapper.builder().build()
			.readTree(getClass().getResourceAsStream("/golden/resque/hooks_order.json"))
			.get("cases")
			.get(name);
		new ResqueTemplate(this.bus.redis(), this.bus.settings()).enqueue("hooks", jobClass, args);
		this.runner = PlainJobWorker.start(this.bus, this.bus.settings(), jobs(), hooks(), List.of("hooks"));
		try {
			PlainJobWorker.awaitProcessed(this.bus, 1);
		}
		finally {
			this.runner.stop();
		}
		List<String> rubyCalls = new ArrayList<>();
		expected.get("calls").forEach((call) -> rubyCalls.add(call.get("hook").asString()));
		assertThat(this.calls).isEqualTo(rubyCalls);
		JsonNode at = expected.get("calls").valueStream().filter((call) -> call.has("redis_at_call")).findFirst()
			.map((call) -> call.get("redis_at_call")).orElse(null);
		if (at != null) {
			assertThat(this.stateAtFailure.get(0)).containsEntry("llen resque:failed", at.get("llen resque:failed").asInt())
				.containsEntry("stat:failed", String.valueOf(at.get("stat:failed").asString(null)))
				.containsEntry("worker:<id> set", at.get("worker:<id> set").asBoolean());
		}
		JsonNode after = expected.get("after_work_one_job");
		BusKeys keys = this.bus.keys();
		List<String> failed = this.bus.list(keys.failed());
		assertThat(failed).hasSize(after.get("llen resque:failed").asInt());
		assertThat(String.valueOf(this.bus.get(keys.statFailed())))
			.isEqualTo(String.valueOf(after.get("stat:failed").asString(null)));
		assertThat(this.bus.get(keys.statProcessed())).isEqualTo(after.get("stat:processed").asString());
		for (int i = 0; i < failed.size(); i++) {
			JsonNode entry = after.get("failed entries").get(i);
			assertThat(failed.get(i)).contains("\"error\":\"" + entry.get("error").asString() + "\"",
					"\"exception\":\"" + javaName(entry.get("exception").asString()) + "\"");
		}
	}

	private static String javaName(String rubyException) {
		return switch (rubyException) {
			case "ArgumentError" -> IllegalArgumentException.class.getName();
			case "RuntimeError" -> RuntimeException.class.getName();
			default -> rubyException;
		};
	}

	@Test
	void succeedingJobRunsBeforeAroundPerformAroundAfter() throws Exception {
		assertCase("succeeding", "HookJob", "ok", 1);
	}

	@Test
	void failingJobRunsOnFailureBeforeTheFailureIsRecordedAndNoAfterHook() throws Exception {
		assertCase("failing", "HookJob", "fail", 2);
	}

	@Test
	void severalHooksOfAKindRunInOrderAndAroundHooksNestFirstOutermost() throws Exception {
		assertCase("multi_succeeding (two hooks of each kind, defined b-before-a / y-before-x)", "HookJobMulti", "ok",
				3);
	}

	@Test
	void severalOnFailureHooksRunInOrder() throws Exception {
		assertCase("multi_failing", "HookJobMulti", "fail", 4);
	}

	@Test
	void aBeforeHookThatSaysDontPerformSkipsTheJobWhichCountsAsProcessedNotFailed() throws Exception {
		assertCase("dont_perform (before_perform raises Resque::Job::DontPerform)", "HookDontPerform", 6);
	}

	@Test
	void aBeforeHookThatThrowsRunsOnFailureAndFailsTheJob() throws Exception {
		assertCase("before_perform_raises", "HookBeforeRaises", 7);
	}

}
