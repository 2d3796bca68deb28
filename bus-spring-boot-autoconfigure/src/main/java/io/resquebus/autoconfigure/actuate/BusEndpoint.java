package io.resquebus.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.resquebus.inspect.BusInspector;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code resquebus} endpoint: what Resque's web UI shows (subscriptions of every app, queues,
 * workers, the schedule, failures) and its actions (retry or remove failed jobs, start or stop a
 * runner). Read-only unless access is granted with
 * {@code management.endpoint.resquebus.access=unrestricted}. Every read is paged (at most
 * {@link BusInspector#MAX_PAGE_SIZE} items) and costs a fixed number of round trips to Redis.
 */
@Endpoint(id = "resquebus", defaultAccess = Access.READ_ONLY)
public class BusEndpoint {

	/** Items per page when the request does not say. */
	public static final int DEFAULT_PAGE_SIZE = BusConsole.DEFAULT_PAGE_SIZE;

	private final BusConsole console;

	public BusEndpoint(BusConsole console) {
		this.console = console;
	}

	/** The first page of everything: {@code GET /actuator/resquebus?size=20}. */
	@ReadOperation
	public Map<String, Object> overview(@Nullable Integer size) {
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
		int pageSize = BusInspector.pageSize(size, DEFAULT_PAGE_SIZE);
		int from = (offset != null) ? Math.max(0, offset) : 0;
		return switch (section) {
			case "queues" -> new WebEndpointResponse<>(this.console.queues(from, pageSize));
			case "workers" -> new WebEndpointResponse<>(this.console.workers((cursor != null) ? cursor : "0", pageSize));
			case "failed" -> new WebEndpointResponse<>(this.console.failed(from, pageSize));
			case "subscriptions" -> new WebEndpointResponse<>(this.console.subscriptions(from, pageSize));
			case "runners" -> new WebEndpointResponse<>(this.console.runners());
			case "scheduled" -> new WebEndpointResponse<>(this.console.schedule());
			default -> response(BusConsole.Outcome.error(WebEndpointResponse.STATUS_NOT_FOUND,
					"No section '" + section + "'; try queues, workers, failed, subscriptions, runners, scheduled"));
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
			return response(this.console.actOnFailed(action, index, digest));
		}
		return response(this.console.actOnRunner(target, action,
				(duration != null && !duration.isBlank()) ? DurationStyle.detectAndParse(duration) : null));
	}

	private static WebEndpointResponse<Object> response(BusConsole.Outcome outcome) {
		return new WebEndpointResponse<>(outcome.body(), outcome.status());
	}

}
