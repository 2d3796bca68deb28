package io.resquebus.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.resquebus.failure.FailedJobs;
import io.resquebus.inspect.BusInspector;
import io.resquebus.inspect.BusInspector.QueueDepth;
import io.resquebus.redis.BusRedis;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.SubscriptionEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.dao.DataAccessException;

/**
 * The bus's health: UP when its Redis answers and every configured runner runs with all its
 * consumers, DOWN otherwise (a consumer that died is listed under {@code failedConsumers}).
 * Details: runner states, the failed count, and depth and oldest-job age of this app's queues and
 * {@code bus_incoming} (and its partitions), and the subscriptions whose regex went over the match budget (if any).
 * Costs two round trips to Redis whatever the queue sizes, each waiting at most the read timeout:
 * while Redis is down, unreachable or refuses the credentials, the check says DOWN with the reason
 * within that time instead of holding its thread for the client's command timeout.
 */
public class BusHealthIndicator extends AbstractHealthIndicator {

	private final BusInspector inspector;

	private final FailedJobs failedJobs;

	private final BusRunners runners;

	private final AppSubscriptions subscriptions;

	private @Nullable MatchBudget matchBudget;

	public BusHealthIndicator(BusInspector inspector, FailedJobs failedJobs, BusRunners runners,
			AppSubscriptions subscriptions) {
		super("ResqueBus health check failed");
		this.inspector = inspector;
		this.failedJobs = failedJobs;
		this.runners = runners;
		this.subscriptions = subscriptions;
	}

	/** Whose over-budget subscriptions to show; a hostile regex does not make the bus DOWN. */
	public void setMatchBudget(@Nullable MatchBudget matchBudget) {
		this.matchBudget = matchBudget;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		try {
			check(builder);
		}
		catch (DataAccessException ex) {
			builder.down()
				.withDetail("runners", this.runners.states())
				.withDetail("error", "Redis at " + this.inspector.redisAddress() + ": " + BusRedis.explain(ex));
		}
	}

	private void check(Health.Builder builder) {
		Map<String, Object> queues = new LinkedHashMap<>();
		for (QueueDepth depth : this.inspector.depths(queueNames())) {
			Map<String, Object> queue = new LinkedHashMap<>();
			queue.put("depth", depth.depth());
			if (depth.oldestAgeSeconds() != null) {
				queue.put("oldestAgeSeconds", depth.oldestAgeSeconds());
			}
			queues.put(depth.name(), queue);
		}
		long failed = this.failedJobs.count();
		(this.runners.allRunning() ? builder.up() : builder.down()).withDetail("runners", this.runners.states())
			.withDetail("failed", failed)
			.withDetail("queues", queues);
		Map<String, Map<String, String>> failedConsumers = this.runners.failedConsumers();
		if (!failedConsumers.isEmpty()) {
			builder.withDetail("failedConsumers", failedConsumers);
		}
		Map<String, Long> overBudget = (this.matchBudget != null) ? this.matchBudget.exceeded() : Map.of();
		if (!overBudget.isEmpty()) {
			builder.withDetail("matchBudgetExceeded", overBudget);
		}
	}

	private List<String> queueNames() {
		TreeSet<String> names = new TreeSet<>();
		names.addAll(this.inspector.keys().incomingQueues());
		if (this.subscriptions.hasAppKey()) {
			this.subscriptions.entries().stream().map(SubscriptionEntry::queueName).forEach(names::add);
		}
		return List.copyOf(names);
	}

}
