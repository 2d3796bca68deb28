package io.resquebus.dashboard;

import java.util.UUID;

import io.resquebus.embedded.TestRedis;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

/**
 * Who may read the dashboard and who may act, with and without Spring Security, over HTTP
 * (MockMvc) on a real Redis. Actions are tried as {@code pause-all}, whose effect is one key.
 */
class DashboardSecurityTests {

	static final String NAMESPACE = "test-dashsec-" + UUID.randomUUID().toString().substring(0, 8);

	static final String API = "/resquebus/api/";

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", () -> TestRedis.shared().url());
		registry.add("resquebus.namespace", () -> NAMESPACE);
		registry.add("resquebus.app-key", () -> "secured_app");
		registry.add("resquebus.worker.block-timeout", () -> "100ms");
		registry.add("resquebus.driver.block-timeout", () -> "100ms");
		registry.add("resquebus.dashboard.enabled", () -> "true");
	}

	static MockMvcRequestBuilder remote(MockMvcRequestBuilder request) {
		return request.with((r) -> {
			r.setRemoteAddr("203.0.113.7");
			return r;
		});
	}

	/** An action as the dashboard's page sends it. */
	static MockMvcRequestBuilder pauseAll(MockMvcTester mvc) {
		return pauseAll(mvc, "same-origin");
	}

	/** An action from a page on the given {@code Sec-Fetch-Site}. */
	static MockMvcRequestBuilder pauseAll(MockMvcTester mvc, String site) {
		return mvc.post()
			.uri(API + "pause-all")
			.contentType(MediaType.APPLICATION_JSON)
			.header(DashboardAccess.ACTION_HEADER, "1")
			.header("Sec-Fetch-Site", site)
			.content("{\"paused\":true}");
	}

	static boolean pausedAll(StringRedisTemplate redis) {
		boolean paused = "true".equals(redis.opsForValue().get(NAMESPACE + ":pause-all-workers"));
		redis.delete(NAMESPACE + ":pause-all-workers");
		return paused;
	}

	@Nested
	@SpringBootTest(classes = DashboardApp.App.class, properties = DashboardApp.NO_SECURITY)
	@AutoConfigureMockMvc
	class WithoutSpringSecurity {

		@Autowired
		MockMvcTester mvc;

		@Autowired
		StringRedisTemplate redis;

		@Test
		void servesLoopbackClientsWithSafeHeaders() {
			assertThat(this.mvc.get().uri(API + "overview")).hasStatusOk()
				.hasHeader("Cache-Control", "no-store")
				.hasHeader("X-Content-Type-Options", "nosniff")
				.hasHeader("Content-Security-Policy", DashboardAccess.CSP)
				.bodyJson()
				.hasPathSatisfying("$.app", (app) -> assertThat(app).isEqualTo("secured_app"));
			assertThat(this.mvc.get().uri("/resquebus/")).hasStatusOk()
				.hasHeader("Content-Security-Policy", DashboardAccess.CSP)
				.bodyText()
				.contains("<meta name=\"read-only\" content=\"false\">")
				.doesNotContain("csrf-token");
			assertThat(this.mvc.get().uri("/resquebus/assets/app.js")).hasStatusOk()
				.hasHeader("X-Content-Type-Options", "nosniff");
		}

		@Test
		void refusesRemoteClients() {
			assertThat(this.mvc.perform(remote(this.mvc.get().uri(API + "overview")))).hasStatus(403);
			assertThat(this.mvc.perform(remote(this.mvc.get().uri("/resquebus/")))).hasStatus(403);
			assertThat(this.mvc.perform(remote(pauseAll(this.mvc)))).hasStatus(403);
			assertThat(pausedAll(this.redis)).isFalse();
		}

		@Test
		void actsOnASameOriginPostWithTheHeader() {
			assertThat(pauseAll(this.mvc)).hasStatusOk();
			assertThat(pausedAll(this.redis)).isTrue();
			assertThat(pauseAll(this.mvc, "same-site")).hasStatus(403);
			assertThat(pausedAll(this.redis)).isFalse();
		}

		@Test
		void refusesACrossSitePost() {
			assertThat(pauseAll(this.mvc, "cross-site")).hasStatus(403);
			assertThat(this.mvc.post()
				.uri(API + "pause-all")
				.contentType(MediaType.APPLICATION_JSON)
				.header(DashboardAccess.ACTION_HEADER, "1")
				.header("Origin", "https://evil.example")
				.content("{\"paused\":true}")).hasStatus(403);
			assertThat(pausedAll(this.redis)).isFalse();
		}

		@Test
		void pausesAndResumesThisAppsWorkerByItsRoute() {
			assertThat(runner(this.mvc, "worker", "pause")).hasStatusOk()
				.bodyJson()
				.hasPathSatisfying("$.state", (state) -> assertThat(state).isEqualTo("paused"));
			assertThat(this.mvc.get().uri(API + "overview")).hasStatusOk()
				.bodyJson()
				.hasPathSatisfying("$.runners.worker", (state) -> assertThat(state).isEqualTo("paused"));
			assertThat(runner(this.mvc, "worker", "resume")).hasStatusOk()
				.bodyJson()
				.hasPathSatisfying("$.state", (state) -> assertThat(state).isEqualTo("running"));
			assertThat(runner(this.mvc, "nobody", "pause")).hasStatus(404);
			assertThat(runner(this.mvc, "worker", "explode")).hasStatus(400);
		}

		private static MockMvcRequestBuilder runner(MockMvcTester mvc, String name, String action) {
			return mvc.post()
				.uri(API + "runners/" + name + "/" + action)
				.contentType(MediaType.APPLICATION_JSON)
				.header(DashboardAccess.ACTION_HEADER, "1")
				.header("Sec-Fetch-Site", "same-origin")
				.content("{}");
		}

		@Test
		void refusesAnActionWithoutTheHeaderOrAsAForm() {
			assertThat(this.mvc.post()
				.uri(API + "pause-all")
				.contentType(MediaType.APPLICATION_JSON)
				.header("Sec-Fetch-Site", "same-origin")
				.content("{\"paused\":true}")).hasStatus(403);
			assertThat(this.mvc.post()
				.uri(API + "pause-all")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.header(DashboardAccess.ACTION_HEADER, "1")
				.content("paused=true")).hasStatus(403);
			assertThat(this.mvc.get().uri(API + "pause-all")).hasStatus(404);
			assertThat(pausedAll(this.redis)).isFalse();
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardApp.App.class,
			properties = { DashboardApp.NO_SECURITY, "resquebus.dashboard.allow-remote=true" })
	@AutoConfigureMockMvc
	@ExtendWith(OutputCaptureExtension.class) // from before the context starts: the warning is logged at start
	class AllowingRemoteClients {

		@Autowired
		MockMvcTester mvc;

		@Test
		void servesRemoteClients() {
			assertThat(this.mvc.perform(remote(this.mvc.get().uri(API + "overview")))).hasStatusOk();
		}

		@Test
		void warnedAtStartThatAnyClientGetsIn(CapturedOutput output) {
			assertThat(output.getAll()).contains("WARN")
				.contains("Bus dashboard at /resquebus is open to ANY client without authentication");
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardApp.App.class, properties = { DashboardApp.NO_SECURITY,
			"resquebus.dashboard.username=ops", "resquebus.dashboard.password=s3cret" })
	@AutoConfigureMockMvc
	class WithBuiltInBasicCredentials {

		@Autowired
		MockMvcTester mvc;

		@Test
		void asksEveryClientForTheCredentials() {
			assertThat(this.mvc.get().uri(API + "overview")).hasStatus(401).containsHeader("WWW-Authenticate");
			assertThat(this.mvc.get().uri(API + "overview").header("Authorization", basic("ops:wrong")))
				.hasStatus(401);
			assertThat(this.mvc.perform(remote(this.mvc.get().uri(API + "overview")
				.header("Authorization", basic("ops:s3cret"))))).hasStatusOk();
		}

		private static String basic(String credentials) {
			return "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes());
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardApp.App.class,
			properties = { DashboardApp.NO_SECURITY, "resquebus.dashboard.read-only=true" })
	@AutoConfigureMockMvc
	class ReadOnly {

		@Autowired
		MockMvcTester mvc;

		@Autowired
		StringRedisTemplate redis;

		@Test
		void refusesEveryActionAndSaysSoInThePage() {
			assertThat(pauseAll(this.mvc)).hasStatus(403).bodyText().contains("read-only");
			assertThat(this.mvc.post()
				.uri(API + "failed/retry-all")
				.contentType(MediaType.APPLICATION_JSON)
				.header(DashboardAccess.ACTION_HEADER, "1")
				.content("{}")).hasStatus(403);
			assertThat(pausedAll(this.redis)).isFalse();
			assertThat(this.mvc.get().uri("/resquebus/")).hasStatusOk()
				.bodyText()
				.contains("<meta name=\"read-only\" content=\"true\">");
		}

	}

	@Nested
	@SpringBootTest(classes = DashboardApp.App.class)
	@AutoConfigureMockMvc
	class WithSpringSecurityDefaults {

		@Autowired
		MockMvcTester mvc;

		@Autowired
		StringRedisTemplate redis;

		@Test
		void leavesAnonymousAccessToTheAppsFilterChain() {
			assertThat(this.mvc.get().uri(API + "overview")).hasStatus4xxClientError();
			assertThat(this.mvc.get().uri("/resquebus/")).satisfies((result) -> assertThat(result.getResponse().getStatus())
				.isIn(302, 401)).bodyText().doesNotContain("ResqueBus");
			assertThat(pauseAll(this.mvc).with(csrf())).hasStatus4xxClientError();
			assertThat(pausedAll(this.redis)).isFalse();
		}

		@Test
		void servesASignedInUserFromAnyAddressWithTheCsrfTokenInThePage() {
			assertThat(this.mvc.perform(remote(this.mvc.get().uri(API + "overview").with(user("ana"))))).hasStatusOk();
			assertThat(this.mvc.get().uri("/resquebus/").with(user("ana"))).hasStatusOk()
				.bodyText()
				.contains("<meta name=\"csrf-header\" content=\"X-CSRF-TOKEN\">", "<meta name=\"csrf-token\" content=\"");
		}

		@Test
		void needsSpringsCsrfTokenForAnAction() {
			assertThat(pauseAll(this.mvc).with(user("ana"))).hasStatus(403);
			assertThat(pausedAll(this.redis)).isFalse();
			assertThat(pauseAll(this.mvc).with(user("ana")).with(csrf())).hasStatusOk();
			assertThat(pausedAll(this.redis)).isTrue();
		}

		@Test
		void refusesACrossSitePostEvenWithAToken() {
			assertThat(pauseAll(this.mvc, "cross-site").with(user("ana")).with(csrf()))
				.hasStatus(403);
			assertThat(pausedAll(this.redis)).isFalse();
		}

	}

	@Nested
	@SpringBootTest(classes = { DashboardApp.App.class, OpsOnly.class },
			properties = "resquebus.dashboard.role=OPS")
	@AutoConfigureMockMvc
	class WithTheAppsRulesAndARole {

		@Autowired
		MockMvcTester mvc;

		@Autowired
		StringRedisTemplate redis;

		@Test
		void letsTheAppsRulesDecideReadsThroughTheRequestMatcher() {
			assertThat(this.mvc.get().uri(API + "overview").with(user("ana").roles("DEV"))).hasStatus(403);
			assertThat(this.mvc.get().uri(API + "overview").with(user("ana").roles("OPS", "VIEW"))).hasStatusOk();
			assertThat(this.mvc.get().uri(API + "overview").with(user("bob").roles("VIEW"))).hasStatusOk();
		}

		@Test
		void needsTheRoleForActions() {
			assertThat(pauseAll(this.mvc).with(user("bob").roles("VIEW")).with(csrf())).hasStatus(403)
				.bodyText()
				.contains("role OPS");
			assertThat(pausedAll(this.redis)).isFalse();
			assertThat(pauseAll(this.mvc).with(user("ana").roles("OPS", "VIEW")).with(csrf())).hasStatusOk();
			assertThat(pausedAll(this.redis)).isTrue();
		}

	}

	/** An app's own rules: the dashboard for viewers, everything else open. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OpsOnly {

		@Bean
		SecurityFilterChain appRules(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((auth) -> auth.requestMatchers(BusDashboardRequest.toDashboard())
					.hasRole("VIEW")
					.anyRequest()
					.permitAll())
				.httpBasic((basic) -> {
				})
				.build();
		}

	}

}
