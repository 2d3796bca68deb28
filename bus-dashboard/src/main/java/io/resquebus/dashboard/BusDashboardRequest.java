package io.resquebus.dashboard;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * A {@link RequestMatcher} for the dashboard's page, assets and API, for an app's Spring Security
 * rules, like Boot's {@code PathRequest.toH2Console()}:
 * <pre>{@code
 * http.authorizeHttpRequests((auth) -> auth
 *     .requestMatchers(BusDashboardRequest.toDashboard()).hasRole("OPS")
 *     .anyRequest().authenticated());
 * }</pre>
 * The path is read from {@code resquebus.dashboard.path} when the first request comes.
 */
public final class BusDashboardRequest implements RequestMatcher {

	private volatile String path = "";

	private BusDashboardRequest() {
	}

	public static RequestMatcher toDashboard() {
		return new BusDashboardRequest();
	}

	@Override
	public boolean matches(HttpServletRequest request) {
		String prefix = path(request);
		String uri = request.getRequestURI().substring(request.getContextPath().length());
		return !prefix.isEmpty() && (uri.equals(prefix) || uri.startsWith(prefix + "/"));
	}

	private String path(HttpServletRequest request) {
		if (this.path.isEmpty()) {
			WebApplicationContext context = WebApplicationContextUtils
				.getRequiredWebApplicationContext(request.getServletContext());
			this.path = context.getBeanProvider(BusDashboardProperties.class)
				.getIfAvailable(BusDashboardProperties::new)
				.getPath();
		}
		return this.path;
	}

}
