package io.resquebus.autoconfigure.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.resquebus.BusSettings;
import io.resquebus.failure.FailedJob;
import io.resquebus.failure.FailedJobPreview;
import io.resquebus.failure.FailedJobs;
import io.resquebus.inspect.BusInspector;
import io.resquebus.inspect.BusInspector.DelayedSlot;
import io.resquebus.inspect.BusInspector.QueueDepth;
import io.resquebus.inspect.BusInspector.QueuePage;
import io.resquebus.inspect.BusInspector.Totals;
import io.resquebus.inspect.BusInspector.Value;
import io.resquebus.inspect.BusInspector.WorkerInfo;
import io.resquebus.inspect.BusInspector.WorkerPage;
import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.runner.RunnerControl;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.MatchBudget;
import io.resquebus.subscription.Subscription;
import io.resquebus.subscription.SubscriptionRegistry;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.FailureEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * What operators see and do, in one place for the {@code resquebus} endpoint and the dashboard:
 * paged views of queues, workers, failures, the schedule and subscriptions, and the actions on
 * them, with the same Redis effects as resque-web. Views are JSON-ready maps; every one costs a
 * bounded number of round trips whatever the sizes.
 */
public final class BusConsole {

	/** Items per page when the request does not say. */
	public static final int DEFAULT_PAGE_SIZE = 20;

	/** The most bytes of one failed entry a listing shows; a larger one is cut in Redis. */
	public static final int PREVIEW_BYTES = 16 * 1024;

	/** How many of the newest failures a filtered search or the grouping reads at most per request. */
	public static final int SEARCH_WINDOW = 1000;

	/** Workers checked for a current job on the overview; beyond that the busy count is sampled. */
	public static final int WORKER_SAMPLE = 1000;

	/** Entries per batch of a retry-all. */
	public static final int RETRY_BATCH = 200;

	/** HTTP 400, 404, 409. */
	public static final int BAD_REQUEST = 400, NOT_FOUND = 404, CONFLICT = 409;

	private static final BusScript CANCEL_DELAYED = BusScript.load("delayed-cancel");

	private static final BusScript UNLINK_LIST = BusScript.load("unlink-list");

	private static final BusScript DELAYED_NOW = BusScript.load("delayed-now");

	private static final BusScript SET_FLAG = BusScript.load("set-flag");

	private final BusInspector inspector;

	private final FailedJobs failedJobs;

	private final SubscriptionRegistry registry;

	private final AppSubscriptions subscriptions;

	// The driver's budget: who-listens runs registry regexes on pasted input, so it is bounded too.
	private MatchBudget matchBudget = MatchBudget.defaults();

	private final BusRunners runners;

	private final BusRedis redis;

	private final BusSettings settings;

	private final Duration overviewTtl;

	private final Clock clock = Clock.systemUTC();

	private volatile @Nullable Memo overview;

	/** The match budget the driver uses: bounds who-listens and shows over-budget counts per subscription. */
	public void setMatchBudget(MatchBudget matchBudget) {
		this.matchBudget = matchBudget;
	}

	public BusConsole(BusInspector inspector, FailedJobs failedJobs, SubscriptionRegistry registry,
			AppSubscriptions subscriptions, BusRunners runners, BusRedis redis, BusSettings settings,
			Duration overviewTtl) {
		this.inspector = inspector;
		this.failedJobs = failedJobs;
		this.registry = registry;
		this.subscriptions = subscriptions;
		this.runners = runners;
		this.redis = redis;
		this.settings = settings;
		this.overviewTtl = overviewTtl;
	}

	/** This app's key, if it has one. */
	public @Nullable String appKey() {
		return this.subscriptions.hasAppKey() ? this.subscriptions.appKey() : null;
	}

	public Map<String, String> runners() {
		return this.runners.states();
	}

	public BusInspector.Schedule schedule() {
		return this.inspector.schedule();
	}

	/**
	 * Everything the dashboard's front page shows, read at most once per {@code overviewTtl}
	 * however many pages poll it: totals, every queue (up to {@link BusInspector#MAX_PAGE_SIZE})
	 * with depth and oldest-job age, the schedule and the runners.
	 */
	public Map<String, Object> overview() {
		Memo memo = this.overview;
		long now = this.clock.millis();
		if (memo != null && now < memo.expiresAt) {
			return memo.value;
		}
		Totals totals = this.inspector.totals(WORKER_SAMPLE);
		List<String> names = new ArrayList<>(this.inspector.queueNames());
		List<String> incoming = this.settings.keys().incomingQueues();
		for (int i = incoming.size() - 1; i >= 0; i--) {
			if (!names.contains(incoming.get(i))) {
				names.add(0, incoming.get(i));
			}
		}
		List<Map<String, Object>> queues = new ArrayList<>();
		// Partitions no driver of this count works: publishers with another count write there.
		List<String> unread = new ArrayList<>();
		Long lag = null;
		for (QueueDepth depth : this.inspector.depths(names)) {
			queues.add(queue(depth));
			Long age = depth.oldestAgeSeconds();
			if (incoming.contains(depth.name())) {
				lag = (lag == null || (age != null && age > lag)) ? age : lag;
			}
			else if (BusKeys.isIncomingQueue(depth.name()) && depth.depth() > 0) {
				unread.add(depth.name());
			}
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("app", appKey());
		view.put("processed", totals.processed());
		view.put("failedTotal", totals.failedTotal());
		view.put("failed", totals.failedCount());
		view.put("workers", Map.of("total", totals.workers(), "sampled", totals.sampled(), "busy", totals.busy(),
				"idle", totals.sampled() - totals.busy()));
		view.put("queueCount", names.size());
		view.put("queues", queues);
		view.put("incomingLagSeconds", lag);
		view.put("unreadIncomingQueues", unread);
		view.put("scheduled", this.inspector.schedule());
		view.put("heartbeatMinute", totals.heartbeat());
		view.put("pausedAll", totals.pausedAll());
		view.put("redis", Map.of("version", String.valueOf(totals.redisVersion()), "usedMemory",
				String.valueOf(totals.usedMemory())));
		view.put("runners", this.runners.states());
		view.put("readAt", now);
		this.overview = new Memo(view, now + this.overviewTtl.toMillis());
		return view;
	}

	/** A page of queue names with depth and oldest-job age. */
	public Map<String, Object> queues(int offset, int size) {
		List<String> names = this.inspector.queueNames();
		List<String> page = names.subList(Math.min(offset, names.size()), Math.min(offset + size, names.size()));
		return page(names.size(), offset, this.inspector.depths(page).stream().map(BusConsole::queue).toList());
	}

	/** A page of one queue's jobs, head first. */
	public Map<String, Object> queue(String name, long offset, int size) {
		QueuePage page = this.inspector.peek(name, offset, size);
		Map<String, Object> view = page(page.depth(), (int) page.offset(),
				page.jobs().stream().map(BusConsole::value).toList());
		view.put("name", name);
		return view;
	}

	public Map<String, Object> workers(String cursor, int size) {
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
	public Map<String, Object> failed(int offset, int size) {
		long count = this.failedJobs.count();
		long end = count - offset;
		List<Map<String, Object>> items = new ArrayList<>();
		if (end > 0) {
			long start = Math.max(0, end - size);
			previewsNewestFirst(start, (int) (end - start)).forEach((job) -> items.add(failure(job)));
		}
		return page(count, offset, items);
	}

	/**
	 * Failures matching every given filter (case-insensitive substrings), newest first, read from
	 * index {@code before - 1} down over at most {@link #SEARCH_WINDOW} entries; {@code next} is
	 * where to continue, {@code null} at the oldest.
	 * @param before the index to search below; {@code null} for the newest
	 */
	public Map<String, Object> searchFailed(@Nullable String queue, @Nullable String jobClass, @Nullable String text,
			@Nullable Long before, int size) {
		long count = this.failedJobs.count();
		long end = (before == null) ? count : Math.max(0, Math.min(before, count));
		List<Map<String, Object>> items = new ArrayList<>();
		long scanned = 0;
		long next = end;
		while (next > 0 && scanned < SEARCH_WINDOW && items.size() < size) {
			int chunk = (int) Math.min(Math.min(FailedJobs.MAX_PAGE_SIZE, SEARCH_WINDOW - scanned), next);
			List<FailedJobPreview> jobs = previewsNewestFirst(next - chunk, chunk);
			for (FailedJobPreview job : jobs) {
				scanned++;
				next = job.index();
				if (matches(job, queue, jobClass, text)) {
					items.add(failure(job));
					if (items.size() == size) {
						break;
					}
				}
			}
			if (jobs.isEmpty()) {
				break;
			}
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("total", count);
		view.put("scanned", scanned);
		view.put("items", items);
		view.put("next", (next > 0) ? next : null);
		return view;
	}

	/** Failures by exception class among the newest {@link #SEARCH_WINDOW}, most frequent first. */
	public Map<String, Object> failureGroups() {
		long count = this.failedJobs.count();
		Map<String, Long> groups = new TreeMap<>();
		long start = Math.max(0, count - SEARCH_WINDOW);
		for (long offset = start; offset < count; offset += FailedJobs.MAX_PAGE_SIZE) {
			for (FailedJobPreview job : this.failedJobs.previews(offset, FailedJobs.MAX_PAGE_SIZE, PREVIEW_BYTES).items()) {
				groups.merge(job.entry().exception().isEmpty() ? "(none)" : job.entry().exception(), 1L, Long::sum);
			}
		}
		List<Map<String, Object>> items = groups.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.map((e) -> Map.<String, Object>of("exception", e.getKey(), "count", e.getValue()))
			.toList();
		return Map.of("total", count, "window", count - start, "groups", items);
	}

	/** The schedule, earliest due time first, with the first items of each. */
	public Map<String, Object> scheduled(int offset, int size) {
		BusInspector.Schedule schedule = this.inspector.schedule();
		List<Map<String, Object>> slots = new ArrayList<>();
		for (DelayedSlot slot : this.inspector.delayed(offset, size, 10)) {
			slots.add(Map.of("timestamp", slot.timestamp(), "size", slot.size(), "items",
					slot.items().stream().map(BusConsole::value).toList()));
		}
		return page(schedule.timestamps(), offset, slots);
	}

	public Map<String, Object> subscriptions(int offset, int size) {
		List<Subscription> all = sorted(this.registry.all(this.inspector.timeout()));
		List<Map<String, Object>> items = new ArrayList<>();
		for (Subscription subscription : all.subList(Math.min(offset, all.size()),
				Math.min(offset + size, all.size()))) {
			items.add(subscription(subscription));
		}
		return page(all.size(), offset, items);
	}

	/**
	 * Who listens to an event: every app and subscription whose matcher, the one the driver runs,
	 * matches it. The input is an event type, or an event as a JSON object.
	 * @throws IllegalArgumentException if the input is neither
	 */
	public Map<String, Object> listeners(String input) {
		String trimmed = input.strip();
		if (trimmed.isEmpty()) {
			throw new IllegalArgumentException("Give an event type or an event as a JSON object");
		}
		Map<String, Object> event;
		if (trimmed.startsWith("{")) {
			try {
				event = this.settings.codec().readObject(trimmed);
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("Not a JSON object: " + ex.getMessage(), ex);
			}
		}
		else {
			event = Map.of(BusAttributes.EVENT_TYPE, trimmed);
		}
		List<Map<String, Object>> matches = new ArrayList<>();
		for (Subscription subscription : sorted(this.registry.all(this.inspector.timeout()))) {
			if (this.matchBudget.matches(subscription, event)) {
				matches.add(subscription(subscription));
			}
		}
		return Map.of("event", event, "items", matches);
	}

	// Actions

	/** The endpoint's actions on one failed job: {@code retry} (and remove) or {@code remove}, and {@code retry-all}. */
	public Outcome actOnFailed(String action, @Nullable Long index, @Nullable String digest) {
		if (action.equals("retry-all")) {
			return Outcome.ok(Map.of("retried", this.failedJobs.retryAll()));
		}
		if (!action.equals("retry") && !action.equals("remove")) {
			return Outcome.error(BAD_REQUEST,
					"Unknown action '" + action + "' on failed jobs; try retry, remove or retry-all");
		}
		return onFailedJob(index, digest, (job) -> action.equals("retry") ? this.failedJobs.retryAndRemove(job)
				: this.failedJobs.remove(job), action.equals("retry") ? "retried" : "removed");
	}

	/** resque-web's Retry: the job back onto its queue, its entry kept and marked {@code retried_at}. */
	public Outcome retryFailed(@Nullable Long index, @Nullable String digest) {
		return onFailedJob(index, digest, this.failedJobs::retry, "retried");
	}

	/** resque-web's Remove: the entry deleted. */
	public Outcome removeFailed(@Nullable Long index, @Nullable String digest) {
		return onFailedJob(index, digest, this.failedJobs::remove, "removed");
	}

	/** resque-web's Retry all, in bounded batches. */
	public Outcome retryAllFailed() {
		return Outcome.ok(Map.of("retried", this.failedJobs.retryAllMarked(RETRY_BATCH)));
	}

	/** resque-web's Clear failed jobs: the list unlinked in one command (Redis frees it in the background). */
	public Outcome clearFailed() {
		return Outcome.ok(Map.of("cleared", unlinkList(this.settings.keys().failed())));
	}

	/** Deletes a queue's pending jobs; the queue stays registered. */
	public Outcome clearQueue(String queue) {
		if (queue.isBlank()) {
			return Outcome.error(BAD_REQUEST, "Name the queue");
		}
		return Outcome.ok(Map.of("queue", queue, "cleared", unlinkList(this.settings.keys().queue(queue))));
	}

	/**
	 * resque-scheduler's Enqueue now for a due time: its score in the schedule becomes 0, so the next
	 * poll of any scheduler, Ruby or Java, moves its items exactly as when they fall due.
	 */
	public Outcome enqueueDelayedNow(String timestamp) {
		if (count(this.redis.run(DELAYED_NOW, List.of(this.settings.keys().delayedSchedule()), List.of(timestamp),
				this.inspector.timeout())) == 0) {
			return Outcome.error(NOT_FOUND, "Nothing is scheduled at " + timestamp);
		}
		this.overview = null;
		return Outcome.ok(Map.of("due", timestamp));
	}

	/** resque-scheduler's delete of one delayed item; its due time goes when it holds nothing more. */
	public Outcome cancelDelayed(String timestamp, String item) {
		BusKeys keys = this.settings.keys();
		List<@Nullable Object> reply = this.redis.run(CANCEL_DELAYED,
				List.of(keys.delayed(timestamp), keys.delayedSchedule(), keys.timestamps(item)),
				List.of(timestamp, BusKeys.delayedMember(timestamp), item), this.inspector.timeout());
		long removed = count(reply);
		if (removed == 0) {
			return Outcome.error(CONFLICT, "That item is no longer scheduled at " + timestamp);
		}
		this.overview = null;
		return Outcome.ok(Map.of("cancelled", removed, "timestamp", timestamp));
	}

	/** Sets or deletes Resque's {@code pause-all-workers}, which pauses Ruby and Java workers alike. */
	public Outcome pauseAllWorkers(boolean pause) {
		this.redis.run(SET_FLAG, List.of(this.settings.keys().pauseAllWorkers()), List.of(pause ? "true" : ""),
				this.inspector.timeout());
		this.overview = null;
		return Outcome.ok(Map.of("pausedAll", pause));
	}

	/** Removes all of an app's subscriptions from the registry, as Ruby's {@code QueueBus.unsubscribe} does. */
	public Outcome unsubscribe(String app) {
		if (this.registry.all(this.inspector.timeout()).stream().noneMatch((s) -> s.appKey().equals(app))) {
			return Outcome.error(NOT_FOUND, "No app '" + app + "' in the registry");
		}
		this.registry.unsubscribe(app);
		return Outcome.ok(Map.of("unsubscribed", app));
	}

	/**
	 * A runner action: {@code start}, {@code stop}, {@code pause} (for a while when
	 * {@code duration} is given) or {@code resume}.
	 */
	public Outcome actOnRunner(String name, String action, @Nullable Duration duration) {
		Optional<SmartLifecycle> runner = this.runners.find(name);
		if (runner.isEmpty()) {
			return Outcome.error(NOT_FOUND, "No runner '" + name + "' here; runners: " + this.runners.all().keySet());
		}
		RunnerControl control = (runner.get() instanceof RunnerControl rc) ? rc : null;
		switch (action) {
			case "start" -> runner.get().start();
			case "stop" -> runner.get().stop();
			case "pause", "resume" -> {
				if (control == null) {
					return Outcome.error(BAD_REQUEST, "Runner '" + name + "' cannot be paused");
				}
				if (action.equals("resume")) {
					control.resume();
				}
				else if (duration != null) {
					control.pause(duration);
				}
				else {
					control.pause();
				}
			}
			default -> {
				return Outcome.error(BAD_REQUEST,
						"Unknown runner action '" + action + "'; try start, stop, pause or resume");
			}
		}
		this.overview = null;
		return Outcome.ok(Map.of("runner", name, "state", this.runners.states().get(name)));
	}

	/** Deletes a list in one bounded round trip and tells how many entries it held. */
	private long unlinkList(String key) {
		return count(this.redis.run(UNLINK_LIST, List.of(key), List.of(), this.inspector.timeout()));
	}

	private static long count(List<@Nullable Object> reply) {
		return (!reply.isEmpty() && reply.get(0) instanceof Number n) ? n.longValue() : 0;
	}

	/** A job or delayed item as listed: its text (cut when larger than the read limit), full size and whether cut. */
	private static Map<String, Object> value(Value value) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("text", value.text());
		item.put("bytes", value.bytes());
		item.put("truncated", value.truncated());
		return item;
	}

	private Outcome onFailedJob(@Nullable Long index, @Nullable String digest,
			java.util.function.Predicate<FailedJob> action, String done) {
		if (index == null || digest == null || digest.isBlank()) {
			return Outcome.error(BAD_REQUEST, "Name the failed job by its 'index' and 'digest' as listed");
		}
		Optional<FailedJob> job = this.failedJobs.find(index, digest);
		if (job.isEmpty() || !action.test(job.get())) {
			return Outcome.error(CONFLICT, "The failed list has changed: entry " + index + " no longer has digest "
					+ digest + "; nothing was done. List the failures again and retry with the new index and digest");
		}
		this.overview = null;
		return Outcome.ok(Map.of(done, index, "digest", digest));
	}

	private static boolean matches(FailedJobPreview job, @Nullable String queue, @Nullable String jobClass,
			@Nullable String text) {
		FailureEntry entry = job.entry();
		return contains(entry.queue(), queue) && contains(payloadClass(entry.payload()), jobClass)
				&& (text == null || text.isBlank() || contains(entry.exception(), text) || contains(entry.error(), text)
						|| contains(entry.payload(), text));
	}

	private static boolean contains(String value, @Nullable String filter) {
		return filter == null || filter.isBlank()
				|| value.toLowerCase(Locale.ROOT).contains(filter.strip().toLowerCase(Locale.ROOT));
	}

	/** The job class and, for bus jobs, the event type, as one searchable string. */
	private static String payloadClass(String payload) {
		int at = payload.indexOf("\"class\":\"");
		String type = "";
		int typeAt = payload.indexOf(BusAttributes.EVENT_TYPE);
		if (typeAt >= 0) {
			type = payload.substring(typeAt, Math.min(payload.length(), typeAt + 120));
		}
		if (at < 0) {
			return type;
		}
		int end = payload.indexOf('"', at + 9);
		return payload.substring(at + 9, (end > 0) ? end : payload.length()) + " " + type;
	}

	private List<FailedJobPreview> previewsNewestFirst(long start, int count) {
		List<FailedJobPreview> jobs = new ArrayList<>(this.failedJobs.previews(start, count, PREVIEW_BYTES).items());
		jobs.sort(Comparator.comparingLong(FailedJobPreview::index).reversed());
		return jobs;
	}

	private static Map<String, Object> failure(FailedJobPreview job) {
		return failedItem(job.index(), job.digest(), job.bytes(), job.truncated(), job.entry(),
				job.entry().backtrace().subList(0, Math.min(10, job.entry().backtrace().size())));
	}

	/** A failed entry as listed: position, digest, size, whether cut, and its fields. */
	public static Map<String, Object> failedItem(long index, String digest, long bytes, boolean truncated,
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

	private static Map<String, Object> queue(QueueDepth depth) {
		Map<String, Object> queue = new LinkedHashMap<>();
		queue.put("name", depth.name());
		queue.put("depth", depth.depth());
		queue.put("oldestAgeSeconds", depth.oldestAgeSeconds());
		return queue;
	}

	private static List<Subscription> sorted(List<Subscription> subscriptions) {
		return subscriptions.stream()
			.sorted(Comparator.comparing(Subscription::appKey).thenComparing(Subscription::key))
			.toList();
	}

	private Map<String, Object> subscription(Subscription subscription) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("app", subscription.appKey());
		item.put("key", subscription.key());
		item.put("queue", subscription.queueName());
		item.put("class", subscription.entry().className());
		item.put("matcher", subscription.entry().matcher());
		long overBudget = this.matchBudget.exceeded(subscription.appKey(), subscription.key());
		if (overBudget > 0) {
			item.put("matchBudgetExceeded", overBudget);
		}
		return item;
	}

	private static Map<String, Object> page(long total, int offset, List<?> items) {
		Map<String, Object> page = new LinkedHashMap<>();
		page.put("total", total);
		page.put("offset", offset);
		page.put("items", items);
		return page;
	}

	/**
	 * The result of an action: an HTTP status and a JSON-ready body.
	 */
	public record Outcome(int status, Map<String, Object> body) {

		static Outcome ok(Map<String, Object> body) {
			return new Outcome(200, body);
		}

		static Outcome error(int status, String message) {
			return new Outcome(status, Map.of("status", status, "error", message));
		}

	}

	private record Memo(Map<String, Object> value, long expiresAt) {
	}

}
