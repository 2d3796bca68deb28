package io.resquebus.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.resquebus.failure.FailedJob;
import io.resquebus.failure.FailedJobPreview;
import io.resquebus.failure.FailedJobTooLargeException;
import io.resquebus.failure.FailedJobs;
import io.resquebus.failure.FailedJobs.FailedPage;
import io.resquebus.inspect.BusInspector;
import io.resquebus.inspect.BusInspector.QueueDepth;
import io.resquebus.inspect.BusInspector.WorkerInfo;
import io.resquebus.inspect.BusInspector.WorkerPage;
import io.resquebus.redis.BusRedis;
import io.resquebus.runner.RunnerControl;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.Subscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.FailureEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

/**
 * The {@code resquebus} endpoint: what Resque's web UI shows (subscriptions of every app, queues,
 * workers, the schedule, failures) and its actions (retry or remove failed jobs, start or stop a
 * runner). Read-only unless access is granted with
 * {@code management.endpoint.resquebus.access=unrestricted}. Every read is paged (at most
 * {@link BusInspector#MAX_PAGE_SIZE} items), costs a fixed number of round trips to Redis, each
 * waiting at most the read timeout (then {@code 503} with the reason), and brings back a bounded
 * number of bytes: a failed entry over {@link #PREVIEW_BYTES} is listed cut, marked
 * {@code truncated}, and read whole only through {@code GET /actuator/resquebus/failed/{index}}
 * within {@code maxBytes}.
 */
@Endpoint(id = "resquebus", defaultAccess = Access.READ_ONLY)
public class BusEndpoint {

	/** Items per page when the request does not say. */
	public static final int DEFAULT_PAGE_SIZE = 20;

	/** The most bytes of one failed entry a listing shows; a larger one is cut in Redis. */
	public static final int PREVIEW_BYTES = 16 * 1024;

	/** How many bytes of a failed entry {@code GET /actuator/resquebus/failed/{index}} returns unless told. */
	public static final long DEFAULT_ENTRY_BYTES = 1024 * 1024;

	/** The most bytes of a failed entry {@code GET /actuator/resquebus/failed/{index}} ever returns. */
	public static final long MAX_ENTRY_BYTES = 16 * 1024 * 1024;

	/** HTTP 413: the entry is larger than asked for. */
	static final int STATUS_TOO_LARGE = 413;

	/** HTTP 503: Redis did not answer. */
	static final int STATUS_UNAVAILABLE = 503;

	/** HTTP 409: the failed list changed since the entry was read. */
	static final int STATUS_CONFLICT = 409;

	private final BusInspector inspector;

	private final FailedJobs failedJobs;

	private final SubscriptionRegistry registry;

	private final AppSubscriptions subscriptions;

	private final BusRunners runners;

	private @Nullable MatchBudget matchBudget;

	public BusEndpoint(BusInspector inspector, FailedJobs failedJobs, SubscriptionRegistry registry,
			AppSubscriptions subscriptions, BusRunners runners) {
		this.inspector = inspector;
		this.failedJobs = failedJobs;
		this.registry = registry;
		this.subscriptions = subscriptions;
		this.runners = runners;
	}

	/** Whose counts of over-budget matches to show with the subscriptions they happened to. */
	public void setMatchBudget(@Nullable MatchBudget matchBudget) {
		this.matchBudget = matchBudget;
	}

	/** The first page of everything: {@code GET /actuator/resquebus?size=20}. */
	@ReadOperation
	public WebEndpointResponse<Object> overview(@Nullable Integer size) {
		return readingRedis(() -> new WebEndpointResponse<>(overviewOf(size)));
	}

	private Map<String, Object> overviewOf(@Nullable Integer size) {
		int pageSize = BusInspector.pageSize(size, DEFAULT_PAGE_SIZE);
		Map<String, Object> overview = new LinkedHashMap<>();
		overview.put("app", this.subscriptions.hasAppKey() ? this.subscriptions.appKey() : null);
		overview.put("runners", this.runners.states());
		overview.put("queues", queues(0, pageSize));
		overview.put("workers", workers("0", pageSize));
		overview.put("scheduled", this.inspector.schedule());
		overview.put("failed", failed(0, pageSize));
		overview.put("subscriptions", subscriptions(0, pageSize));
		return overview;
	}

	/**
	 * One section, paged: {@code GET /actuator/resquebus/{queues|workers|failed|subscriptions}}
	 * with {@code offset} and {@code size} (workers: {@code cursor} from the previous page), or
	 * {@code runners}, {@code scheduled}.
	 */
	@ReadOperation
	public WebEndpointResponse<Object> section(@Selector String section, @Nullable Integer offset,
			@Nullable Integer size, @Nullable String cursor) {
		return readingRedis(() -> sectionOf(section, offset, size, cursor));
	}

	/**
	 * One failed entry whole, as stored: {@code GET /actuator/resquebus/failed/{index}?maxBytes=...}
	 * ({@value #DEFAULT_ENTRY_BYTES} bytes unless told, at most {@value #MAX_ENTRY_BYTES});
	 * {@code 413} with its size if it is larger.
	 */
	@ReadOperation
	public WebEndpointResponse<Object> item(@Selector String section, @Selector String item,
			@Nullable Long maxBytes) {
		if (!section.equals("failed")) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, "Only failed entries are read one by one");
		}
		long index;
		try {
			index = Long.parseLong(item);
		}
		catch (NumberFormatException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "A failed entry is named by its index, not '" + item + "'");
		}
		long limit = Math.min((maxBytes != null && maxBytes > 0) ? maxBytes : DEFAULT_ENTRY_BYTES, MAX_ENTRY_BYTES);
		return readingRedis(() -> {
			try {
				return this.failedJobs.get(index, limit)
					.<WebEndpointResponse<Object>>map((job) -> new WebEndpointResponse<>(failedItem(job.index(),
							job.digest(), BusRedis.bytes(job.raw()).length, false,
							job.entry(), job.entry().backtrace())))
					.orElseGet(() -> error(WebEndpointResponse.STATUS_NOT_FOUND, "No failed entry " + index));
			}
			catch (FailedJobTooLargeException ex) {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("status", STATUS_TOO_LARGE);
				body.put("error", ex.getMessage() + " (at most " + MAX_ENTRY_BYTES + " through the endpoint)");
				body.put("index", ex.index());
				body.put("digest", ex.digest());
				body.put("bytes", ex.bytes());
				return new WebEndpointResponse<>(body, STATUS_TOO_LARGE);
			}
		});
	}

	private WebEndpointResponse<Object> sectionOf(String section, @Nullable Integer offset, @Nullable Integer size,
			@Nullable String cursor) {
		int pageSize = BusInspector.pageSize(size, DEFAULT_PAGE_SIZE);
		int from = (offset != null) ? Math.max(0, offset) : 0;
		return switch (section) {
			case "queues" -> new WebEndpointResponse<>(queues(from, pageSize));
			case "workers" -> new WebEndpointResponse<>(workers((cursor != null) ? cursor : "0", pageSize));
			case "failed" -> new WebEndpointResponse<>(failed(from, pageSize));
			case "subscriptions" -> new WebEndpointResponse<>(subscriptions(from, pageSize));
			case "runners" -> new WebEndpointResponse<>(this.runners.states());
			case "scheduled" -> new WebEndpointResponse<>(this.inspector.schedule());
			default -> error(WebEndpointResponse.STATUS_NOT_FOUND,
					"No section '" + section + "'; try queues, workers, failed, subscriptions, runners, scheduled");
		};
	}

	/**
	 * An action: {@code POST /actuator/resquebus/failed/{retry|remove}} with
	 * {@code {"index": 3, "digest": "..."}} as listed, {@code POST /actuator/resquebus/failed/retry-all},
	 * or {@code POST /actuator/resquebus/{runner}/{start|stop|pause|resume}} for a runner of
	 * {@link BusRunners}; a pause may say for how long: {@code {"duration": "5m"}}.
	 */
	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String target, @Selector String action, @Nullable Long index,
			@Nullable String digest, @Nullable String duration) {
		if (target.equals("failed")) {
			return actOnFailed(action, index, digest);
		}
		Optional<SmartLifecycle> runner = this.runners.find(target);
		if (runner.isEmpty()) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND,
					"No runner '" + target + "' here; runners: " + this.runners.all().keySet());
		}
		RunnerControl control = (runner.get() instanceof RunnerControl rc) ? rc : null;
		switch (action) {
			case "start" -> runner.get().start();
			case "stop" -> runner.get().stop();
			case "pause", "resume" -> {
				if (control == null) {
					return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Runner '" + target + "' cannot be paused");
				}
				if (action.equals("resume")) {
					control.resume();
				}
				else if (duration != null && !duration.isBlank()) {
					control.pause(DurationStyle.detectAndParse(duration));
				}
				else {
					control.pause();
				}
			}
			default -> {
				return error(WebEndpointResponse.STATUS_BAD_REQUEST,
						"Unknown runner action '" + action + "'; try start, stop, pause or resume");
			}
		}
		return new WebEndpointResponse<>(Map.of("runner", target, "state", this.runners.states().get(target)));
	}

	private WebEndpointResponse<Object> actOnFailed(String action, @Nullable Long index, @Nullable String digest) {
		if (action.equals("retry-all")) {
			return new WebEndpointResponse<>(Map.of("retried", this.failedJobs.retryAll()));
		}
		if (!action.equals("retry") && !action.equals("remove")) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"Unknown action '" + action + "' on failed jobs; try retry, remove or retry-all");
		}
		if (index == null || digest == null || digest.isBlank()) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"Name the failed job by its 'index' and 'digest' as listed by /actuator/resquebus/failed");
		}
		Optional<FailedJob> job = this.failedJobs.find(index, digest);
		boolean done = job.isPresent()
				&& (action.equals("retry") ? this.failedJobs.retryAndRemove(job.get()) : this.failedJobs.remove(job.get()));
		if (!done) {
			return error(STATUS_CONFLICT, "The failed list has changed: entry " + index + " no longer has digest "
					+ digest + "; nothing was done. List the failures again and retry with the new index and digest");
		}
		return new WebEndpointResponse<>(Map.of((action.equals("retry") ? "retried" : "removed"), index, "digest",
				digest));
	}

	private Map<String, Object> queues(int offset, int size) {
		List<String> names = this.inspector.queueNames();
		List<String> page = names.subList(Math.min(offset, names.size()), Math.min(offset + size, names.size()));
		List<Map<String, Object>> queues = new ArrayList<>();
		for (QueueDepth depth : this.inspector.depths(page)) {
			Map<String, Object> queue = new LinkedHashMap<>();
			queue.put("name", depth.name());
			queue.put("depth", depth.depth());
			queue.put("oldestAgeSeconds", depth.oldestAgeSeconds());
			queues.add(queue);
		}
		return page(names.size(), offset, queues);
	}

	private Map<String, Object> workers(String cursor, int size) {
		WorkerPage page = this.inspector.workers(cursor, size);
		List<Map<String, Object>> workers = new ArrayList<>();
		for (WorkerInfo info : page.workers()) {
			Map<String, Object> worker = new LinkedHashMap<>();
			worker.put("id", info.id());
			worker.put("heartbeat", info.heartbeat());
			worker.put("started", info.started());
			worker.put("job", info.job());
			workers.add(worker);
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("items", workers);
		result.put("nextCursor", page.cursor().equals("0") ? null : page.cursor());
		return result;
	}

	/** Newest first: {@code offset} 0 is the latest failure; two round trips, entries cut to {@link #PREVIEW_BYTES}. */
	private Map<String, Object> failed(int offset, int size) {
		long count = this.failedJobs.count();
		long end = count - offset;
		List<Map<String, Object>> items = new ArrayList<>();
		if (end > 0) {
			long start = Math.max(0, end - size);
			FailedPage page = this.failedJobs.previews(start, (int) (end - start), PREVIEW_BYTES);
			List<FailedJobPreview> jobs = new ArrayList<>(page.items());
			jobs.sort(Comparator.comparingLong(FailedJobPreview::index).reversed());
			for (FailedJobPreview job : jobs) {
				items.add(failedItem(job.index(), job.digest(), job.bytes(), job.truncated(), job.entry(),
						job.entry().backtrace().subList(0, Math.min(10, job.entry().backtrace().size()))));
			}
		}
		return page(count, offset, items);
	}

	private static Map<String, Object> failedItem(long index, String digest, long bytes, boolean truncated,
			FailureEntry entry, List<String> backtrace) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("index", index);
		item.put("digest", digest);
		item.put("failedAt", entry.failedAt());
		item.put("queue", entry.queue());
		item.put("exception", entry.exception());
		item.put("error", entry.error());
		item.put("worker", entry.worker());
		item.put("payload", entry.payload());
		item.put("backtrace", backtrace);
		item.put("bytes", bytes);
		item.put("truncated", truncated);
		return item;
	}

	private Map<String, Object> subscriptions(int offset, int size) {
		List<Subscription> all = this.registry.all(this.inspector.timeout())
			.stream()
			.sorted(Comparator.comparing(Subscription::appKey).thenComparing(Subscription::key))
			.toList();
		List<Map<String, Object>> items = new ArrayList<>();
		for (Subscription subscription : all.subList(Math.min(offset, all.size()),
				Math.min(offset + size, all.size()))) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("app", subscription.appKey());
			item.put("key", subscription.key());
			item.put("queue", subscription.queueName());
			item.put("class", subscription.entry().className());
			item.put("matcher", subscription.entry().matcher());
			long overBudget = (this.matchBudget != null)
					? this.matchBudget.exceeded(subscription.appKey(), subscription.key()) : 0;
			if (overBudget > 0) {
				item.put("matchBudgetExceeded", overBudget);
			}
			items.add(item);
		}
		return page(all.size(), offset, items);
	}

	private static Map<String, Object> page(long total, int offset, List<?> items) {
		Map<String, Object> page = new LinkedHashMap<>();
		page.put("total", total);
		page.put("offset", offset);
		page.put("items", items);
		return page;
	}

	/** A read of Redis that answers {@code 503} with the reason when Redis fails or does not answer in time. */
	private WebEndpointResponse<Object> readingRedis(Supplier<WebEndpointResponse<Object>> read) {
		try {
			return read.get();
		}
		catch (DataAccessException ex) {
			return error(STATUS_UNAVAILABLE, "Redis at " + this.inspector.redisAddress() + ": " + BusRedis.explain(ex));
		}
	}

	private static WebEndpointResponse<Object> error(int status, String message) {
		return new WebEndpointResponse<>(Map.of("status", status, "error", message), status);
	}

}
