package io.resquebus.dashboard;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Who may read the dashboard and who may act, and the headers every response carries.
 *
 * <p>With Spring Security's filter chain in the app, the chain decides who reads; actions also
 * need an authenticated principal (with {@code resquebus.dashboard.role} when set), and the chain
 * checks Spring's CSRF token. Without it, only loopback clients get in, unless Basic credentials
 * are configured or {@code allow-remote=true}. Either way an action must be a same-origin
 * {@code POST} of JSON carrying {@link #ACTION_HEADER}, which a cross-site page cannot send without
 * a CORS preflight that we never grant, and {@code read-only=true} refuses every action.
 */
final class DashboardAccess implements HandlerFilterFunction<ServerResponse, ServerResponse>, SmartInitializingSingleton {

	/** The header the page sends with every action. */
	static final String ACTION_HEADER = "X-ResqueBus-Dashboard";

	static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

	private static final Logger log = LoggerFactory.getLogger(DashboardAccess.class);

	private static final boolean SECURITY_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.web.SecurityFilterChain", DashboardAccess.class.getClassLoader());

	private final BusDashboardProperties properties;

	private final ListableBeanFactory beans;

	private volatile @Nullable Boolean springSecurity;

	DashboardAccess(BusDashboardProperties properties, ListableBeanFactory beans) {
		this.properties = properties;
		this.beans = beans;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (springSecurity()) {
			log.info("Bus dashboard at {}: Spring Security's filter chain decides who reads it; actions need an "
					+ "authenticated user{}", this.properties.getPath(),
					(this.properties.getRole() != null) ? " with role " + this.properties.getRole() : "");
		}
		else if (this.properties.hasCredentials()) {
			log.info("Bus dashboard at {}: HTTP Basic with the configured credentials", this.properties.getPath());
		}
		else if (this.properties.isAllowRemote()) {
			log.warn("Bus dashboard at {} is open to ANY client without authentication "
					+ "(resquebus.dashboard.allow-remote=true); set credentials or use Spring Security",
					this.properties.getPath());
		}
	}

	/** Whether the app runs Spring Security's filter chain (decided once, after the context has started). */
	boolean springSecurity() {
		Boolean known = this.springSecurity;
		if (known == null) {
			known = SECURITY_PRESENT && this.beans.containsBean("springSecurityFilterChain");
			this.springSecurity = known;
		}
		return known;
	}

	@Override
	public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
		// Built responses have read-only headers: set ours on the servlet response they are written to.
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
				&& attributes.getResponse() != null) {
			HttpServletResponse response = attributes.getResponse();
			response.setHeader("Content-Security-Policy", CSP);
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("X-Frame-Options", "SAMEORIGIN");
			response.setHeader("Referrer-Policy", "same-origin");
			if (request.path().startsWith(this.properties.getPath() + "/api")) {
				response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			}
		}
		Optional<ServerResponse> refused = refusal(request);
		return refused.isPresent() ? refused.get() : next.handle(request);
	}

	private Optional<ServerResponse> refusal(ServerRequest request) {
		if (!springSecurity()) {
			if (this.properties.hasCredentials()) {
				if (!basicMatches(request.headers().firstHeader(HttpHeaders.AUTHORIZATION))) {
					return Optional.of(ServerResponse.status(HttpStatus.UNAUTHORIZED)
						.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"resquebus\", charset=\"UTF-8\"")
						.body(error(HttpStatus.UNAUTHORIZED, "Sign in")));
				}
			}
			else if (!this.properties.isAllowRemote() && !loopback(request)) {
				return Optional.of(refuse(HttpStatus.FORBIDDEN, "The bus dashboard only answers loopback clients; "
						+ "set resquebus.dashboard.username/password, or use Spring Security"));
			}
		}
		if (!HttpMethod.POST.equals(request.method())) {
			return Optional.empty();
		}
		if (this.properties.isReadOnly()) {
			return Optional.of(refuse(HttpStatus.FORBIDDEN, "The dashboard is read-only"));
		}
		if (springSecurity() && !authorized(request)) {
			return Optional.of(refuse(HttpStatus.FORBIDDEN, "Actions need an authenticated user"
					+ ((this.properties.getRole() != null) ? " with role " + this.properties.getRole() : "")));
		}
		if (!sameOrigin(request) || !"1".equals(request.headers().firstHeader(ACTION_HEADER))
				|| !request.headers().contentType().map(MediaType.APPLICATION_JSON::isCompatibleWith).orElse(false)) {
			return Optional.of(refuse(HttpStatus.FORBIDDEN,
					"Actions must come from the dashboard's own page (same origin, JSON, " + ACTION_HEADER + ")"));
		}
		return Optional.empty();
	}

	private boolean authorized(ServerRequest request) {
		Principal principal = request.principal().orElse(null);
		if (principal == null) {
			return false;
		}
		String role = this.properties.getRole();
		return role == null || role.isBlank() || request.servletRequest().isUserInRole(role);
	}

	/** {@code Sec-Fetch-Site} when the browser sends it, else {@code Origin} against the request's own origin. */
	static boolean sameOrigin(ServerRequest request) {
		List<String> sites = request.headers().header("Sec-Fetch-Site");
		if (!sites.isEmpty()) {
			return sites.stream().allMatch("same-origin"::equals);
		}
		URI uri = request.uri();
		return request.headers().header(HttpHeaders.ORIGIN).stream().allMatch((origin) -> {
			try {
				URI given = URI.create(origin);
				return uri.getScheme().equalsIgnoreCase(given.getScheme())
						&& uri.getHost().equalsIgnoreCase(given.getHost()) && port(uri) == port(given);
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				return false;
			}
		});
	}

	private static int port(URI uri) {
		return (uri.getPort() != -1) ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static boolean loopback(ServerRequest request) {
		Optional<InetSocketAddress> remote = request.remoteAddress();
		InetAddress address = remote.map(InetSocketAddress::getAddress).orElse(null);
		return address != null && address.isLoopbackAddress();
	}

	private boolean basicMatches(@Nullable String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return false;
		}
		byte[] given;
		try {
			given = Base64.getDecoder().decode(authorization.substring(6).strip());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		byte[] expected = (this.properties.getUsername() + ":" + this.properties.getPassword())
			.getBytes(StandardCharsets.UTF_8);
		return MessageDigest.isEqual(given, expected);
	}

	static ServerResponse refuse(HttpStatus status, String message) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(error(status, message));
	}

	static Map<String, Object> error(HttpStatus status, String message) {
		return Map.of("status", status.value(), "error", message);
	}

}
