package io.resquebus.dashboard;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the bus dashboard.
 */
@ConfigurationProperties("resquebus.dashboard")
public class BusDashboardProperties {

	/**
	 * Whether to serve the dashboard (Spring MVC apps only).
	 */
	private boolean enabled;

	/**
	 * Where the dashboard is served; its JSON API is under "{path}/api".
	 */
	private String path = "/resquebus";

	/**
	 * Whether to hide and refuse every action (retry, remove, clear, pause, unsubscribe).
	 */
	private boolean readOnly;

	/**
	 * How often an open page polls the overview.
	 */
	private Duration pollInterval = Duration.ofSeconds(5);

	/**
	 * With Spring Security: the role a user needs for actions (without the "ROLE_" prefix); any
	 * authenticated user when not set.
	 */
	private @Nullable String role;

	/**
	 * Without Spring Security: a user name that, with the password, opens the dashboard to any
	 * client through HTTP Basic authentication (else only loopback clients get in).
	 */
	private @Nullable String username;

	/**
	 * Without Spring Security: the password of the built-in Basic authentication.
	 */
	private @Nullable String password;

	/**
	 * Without Spring Security and without credentials: whether clients other than loopback may use
	 * the dashboard (a warning is logged at start).
	 */
	private boolean allowRemote;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		String trimmed = path.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		this.path = trimmed.startsWith("/") ? trimmed : "/" + trimmed;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public @Nullable String getRole() {
		return this.role;
	}

	public void setRole(@Nullable String role) {
		this.role = role;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public boolean isAllowRemote() {
		return this.allowRemote;
	}

	public void setAllowRemote(boolean allowRemote) {
		this.allowRemote = allowRemote;
	}

	boolean hasCredentials() {
		return this.username != null && !this.username.isEmpty() && this.password != null
				&& !this.password.isEmpty();
	}

}
