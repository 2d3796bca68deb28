package io.resquebus.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.resquebus.failure.FailedJobTooLargeException;
import io.resquebus.failure.FailedJobs;
import io.resquebus.inspect.BusInspector;
import io.resquebus.redis.BusRedis;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.dao.DataAccessException;

/**
 * The {@code resquebus} endpoint: what Resque's web UI shows (subscriptions of every app, queues,
 * workers, the schedule, failures) and its actions (retry or remove failed jobs, start or stop a
 * runner), read and done through the {@link BusConsole} the dashboard shares. Read-only unless
 * access is granted with {@code management.endpoint.resquebus.access=unrestricted}. Every read is
 * paged (at most {@link BusInspector#MAX_PAGE_SIZE} items), costs a fixed number of round trips to
 * Redis, each waiting at most the read timeout (then {@code 503} with the reason), and brings back
 * a bounded number of bytes: a failed entry over {@link #PREVIEW_BYTES} is listed cut, marked
 * {@code truncated}, and read whole only through {@code GET /actuator/resquebus/failed/{index}}
 * within {@code maxBytes}.
 */
@Endpoint(id = "resquebus", defaultAccess = Access.READ_ONLY)
public class BusEndpoint {

	/** Items per page when the request does not say. */
	public static final int DEFAULT_PAGE_SIZE = BusConsole.DEFAULT_PAGE_SIZE;

	/** The most bytes of one failed entry a listing shows; a larger one is cut in Redis. */
	public static final int PREVIEW_BYTES = BusConsole.PREVIEW_BYTES;

	/** How many bytes of a failed entry {@code GET /actuator/resquebus/failed/{index}} returns unless told. */
	public static final long DEFAULT_ENTRY_BYTES = 1024 * 1024;

	/** The most bytes of a failed entry {@code GET /actuator/resquebus/failed/{index}} ever returns. */
	public static final long MAX_ENTRY_BYTES = 16 * 1024 * 1024;

	/** HTTP 413: the entry is larger than asked for. */
	static final int STATUS_TOO_LARGE = 413;

	/** HTTP 503: Redis did not answer. */
	static final int STATUS_UNAVAILABLE = 503;

	private final BusConsole console;

	private final BusInspector inspector;

	private final FailedJobs failedJobs;

	public BusEndpoint(BusConsole console, BusInspector inspector, FailedJobs failedJobs) {
		this.console = console;
		this.inspector = inspector;
		this.failedJobs = failedJobs;
	}

	/** The first page of everything: {@code GET /actuator/resquebus?size=20}. */
	@ReadOperation
	public WebEndpointResponse<Object> overview(@Nullable Integer size) {
		return readingRedis(() -> new WebEndpointResponse<>(overviewOf(size)));
	}

	private Map<String, Object> overviewOf(@Nullable Integer size) {
		int pageSize = BusInspector.pageSize(size, DEFAULT_PAGE_SIZE);
		Map<String, Object> overview = new LinkedHashMap<>();
		overview.put("app", this.console.appKey());
		overview.put("runners", this.console.runners());
		overview.put("queues", this.console.queues(0, pageSize));
		overview.put("workers", this.console.workers("0", pageSize));
		overview.put("scheduled", this.console.schedule());
		overview.put("failed", this.console.failed(0, pageSize));
		overview.put("subscriptions", this.console.subscriptions(0, pageSize));
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
					.<WebEndpointResponse<Object>>map((job) -> new WebEndpointResponse<>(BusConsole.failedItem(
							job.index(), job.digest(), BusRedis.bytes(job.raw()).length, false, job.entry(),
							job.entry().backtrace())))
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
			case "queues" -> new WebEndpointResponse<>(this.console.queues(from, pageSize));
			case "workers" -> new WebEndpointResponse<>(this.console.workers((cursor != null) ? cursor : "0", pageSize));
			case "failed" -> new WebEndpointResponse<>(this.console.failed(from, pageSize));
			case "subscriptions" -> new WebEndpointResponse<>(this.console.subscriptions(from, pageSize));
			case "runners" -> new WebEndpointResponse<>(this.console.runners());
			case "scheduled" -> new WebEndpointResponse<>(this.console.schedule());
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
		BusConsole.Outcome outcome = target.equals("failed") ? this.console.actOnFailed(action, index, digest)
				: this.console.actOnRunner(target, action,
						(duration != null && !duration.isBlank()) ? DurationStyle.detectAndParse(duration) : null);
		return new WebEndpointResponse<>(outcome.body(), outcome.status());
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
