package io.resquebus.dashboard;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.csrf.CsrfToken;

/**
 * Spring Security's CSRF token as meta tags for the page's actions; loaded only when Spring
 * Security is on the classpath.
 */
final class CsrfMeta {

	private CsrfMeta() {
	}

	static String of(HttpServletRequest request) {
		if (!(request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)) {
			return "";
		}
		return "<meta name=\"csrf-header\" content=\"" + DashboardRoutes.escape(token.getHeaderName())
				+ "\"><meta name=\"csrf-token\" content=\"" + DashboardRoutes.escape(token.getToken()) + "\">";
	}

}
