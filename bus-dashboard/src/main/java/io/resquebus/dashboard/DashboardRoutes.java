package io.resquebus.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.resquebus.autoconfigure.actuate.BusConsole;
import io.resquebus.autoconfigure.actuate.BusConsole.Outcome;
import io.resquebus.inspect.BusInspector;
import io.resquebus.redis.BusRedis;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import static org.springframework.web.servlet.function.RequestPredicates.GET;
import static org.springframework.web.servlet.function.RequestPredicates.POST;

/**
 * The dashboard's routes: the page, its assets, the JSON API to read ({@code GET {path}/api/...})
 * and to act ({@code POST} with a JSON body). Everything reads and acts through {@link BusConsole},
 * as the {@code resquebus} endpoint does.
 */
final class DashboardRoutes {

	private static final String ASSETS = "io/resquebus/dashboard/assets/";

	private static final boolean CSRF_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.web.csrf.CsrfToken", DashboardRoutes.class.getClassLoader());

	private final BusConsole console;

	private final BusDashboardProperties properties;

	private final String page;

	DashboardRoutes(BusConsole console, BusDashboardProperties properties) {
		this.console = console;
		this.properties = properties;
		this.page = read(ASSETS + "index.html");
	}

	RouterFunction<ServerResponse> routes(DashboardAccess access) {
		String path = this.properties.getPath();
		String api = path + "/api";
		RouterFunctions.Builder routes = RouterFunctions.route()
			.GET(path, (request) -> ServerResponse.permanentRedirect(java.net.URI.create(
					request.servletRequest().getContextPath() + path + "/")).build())
			.GET(path + "/", this::page)
			.GET(api + "/overview", (request) -> json(this.console.overview()))
			.GET(api + "/queues", (request) -> json(this.console.queues(offset(request), size(request))))
			.GET(api + "/queues/{name}", (request) -> json(this.console.queue(request.pathVariable("name"),
					offset(request), size(request))))
			.GET(api + "/workers", (request) -> json(this.console.workers(
					request.param("cursor").orElse("0"), size(request))))
			.GET(api + "/failed", this::failed)
			.GET(api + "/failed/groups", (request) -> json(this.console.failureGroups()))
			.GET(api + "/scheduled", (request) -> json(this.console.scheduled(offset(request), size(request))))
			.GET(api + "/subscriptions", (request) -> json(this.console.subscriptions(offset(request),
					size(request))))
			.GET(api + "/listeners", (request) -> json(this.console.listeners(request.param("event").orElse(""))));
		if (!this.properties.isReadOnly()) {
			routes.POST(api + "/failed/retry", (request) -> act(request, (body) -> this.console
				.retryFailed(number(body.get("index")), text(body.get("digest")))))
				.POST(api + "/failed/remove", (request) -> act(request, (body) -> this.console
					.removeFailed(number(body.get("index")), text(body.get("digest")))))
				.POST(api + "/failed/retry-all", (request) -> act(request, (body) -> this.console.retryAllFailed()))
				.POST(api + "/failed/clear", (request) -> act(request, (body) -> this.console.clearFailed()))
				.POST(api + "/queues/clear", (request) -> act(request, (body) -> this.console
					.clearQueue(String.valueOf(body.getOrDefault("queue", "")))))
				.POST(api + "/scheduled/enqueue-now", (request) -> act(request, (body) -> this.console
					.enqueueDelayedNow(String.valueOf(body.getOrDefault("timestamp", "")))))
				.POST(api + "/scheduled/cancel", (request) -> act(request, (body) -> this.console
					.cancelDelayed(String.valueOf(body.getOrDefault("timestamp", "")),
							String.valueOf(body.getOrDefault("item", "")))))
				.POST(api + "/pause-all", (request) -> act(request, (body) -> this.console
					.pauseAllWorkers(Boolean.TRUE.equals(body.get("paused")))))
				.POST(api + "/apps/unsubscribe", (request) -> act(request, (body) -> this.console
					.unsubscribe(String.valueOf(body.getOrDefault("app", "")))))
				.POST(api + "/runners/{name}/{action}", (request) -> act(request, (body) -> this.console
					.actOnRunner(request.pathVariable("name"), request.pathVariable("action"), duration(body))));
		}
		// Read-only: every POST is refused by the access filter, even to routes that do not exist here.
		routes.POST(api + "/**", (request) -> DashboardAccess.refuse(HttpStatus.NOT_FOUND, "No such action"));
		return routes.resources(path + "/assets/**", new ClassPathResource(ASSETS))
			// BusRedis.explain: a timed-out call says so (its cause, a TimeoutException, has no message).
			.onError(DataAccessException.class, (ex, request) -> DashboardAccess.refuse(HttpStatus.SERVICE_UNAVAILABLE,
					"Redis is unavailable: " + BusRedis.explain(ex)))
			.onError(IllegalArgumentException.class,
					(ex, request) -> DashboardAccess.refuse(HttpStatus.BAD_REQUEST, String.valueOf(ex.getMessage())))
			.filter(access)
			.build();
	}

	private ServerResponse page(ServerRequest request) {
		String csrf = "";
		if (CSRF_PRESENT) {
			csrf = CsrfMeta.of(request.servletRequest());
		}
		String html = this.page.replace("{{base}}", escape(request.servletRequest().getContextPath()
				+ this.properties.getPath()))
			.replace("{{readOnly}}", Boolean.toString(this.properties.isReadOnly()))
			.replace("{{poll}}", Long.toString(this.properties.getPollInterval().toMillis()))
			.replace("{{csrf}}", csrf);
		return ServerResponse.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.header("Cache-Control", "no-store")
			.body(html);
	}

	private ServerResponse failed(ServerRequest request) {
		Optional<String> queue = request.param("queue").filter((v) -> !v.isBlank());
		Optional<String> jobClass = request.param("class").filter((v) -> !v.isBlank());
		Optional<String> text = request.param("text").filter((v) -> !v.isBlank());
		if (queue.isEmpty() && jobClass.isEmpty() && text.isEmpty()) {
			return json(this.console.failed(offset(request), size(request)));
		}
		Long before = request.param("before").filter((v) -> !v.isBlank()).map(Long::valueOf).orElse(null);
		return json(this.console.searchFailed(queue.orElse(null), jobClass.orElse(null), text.orElse(null), before,
				size(request)));
	}

	@SuppressWarnings("unchecked")
	private static ServerResponse act(ServerRequest request, java.util.function.Function<Map<String, Object>, Outcome> action)
			throws Exception {
		Map<String, Object> body;
		try {
			body = request.body(Map.class);
		}
		catch (HttpMessageNotReadableException ex) {
			body = Map.of();
		}
		Outcome outcome = action.apply(body);
		return ServerResponse.status(outcome.status()).contentType(MediaType.APPLICATION_JSON).body(outcome.body());
	}

	private static ServerResponse json(Object body) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private static int offset(ServerRequest request) {
		return request.param("offset").map(Integer::parseInt).map((o) -> Math.max(0, o)).orElse(0);
	}

	/** At most 100 items a page, whatever is asked. */
	private static int size(ServerRequest request) {
		return Math.min(100, BusInspector.pageSize(request.param("size").map(Integer::valueOf).orElse(null),
				BusConsole.DEFAULT_PAGE_SIZE));
	}

	private static @Nullable Long number(@Nullable Object value) {
		if (value instanceof Number n) {
			return n.longValue();
		}
		try {
			return (value != null) ? Long.valueOf(value.toString()) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Duration duration(Map<String, Object> body) {
		Object value = body.get("duration");
		return (value != null && !value.toString().isBlank()) ? DurationStyle.detectAndParse(value.toString()) : null;
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
			.replace("'", "&#39;");
	}

	private static String read(String resource) {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
