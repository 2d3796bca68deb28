package io.resquebus.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.embedded.EmbeddedRedisServer;
import io.resquebus.embedded.TestRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a browser when it is read-only, and while Redis is down.
 */
class DashboardModesBrowserTests {

	@RegisterExtension
	final Browser browser = new Browser();

	@Test
	void readOnlyShowsNoActionAndRefusesAForgedPost() {
		this.browser.start();
		try (this.browser; DashboardApp app = new DashboardApp("resquebus.dashboard.read-only=true")) {
			String entry = app.rubyFailure(Map.of());
			app.pushFailures(entry);
			app.enqueue("reports", "{\"class\":\"ReportJob\",\"args\":[1]}");
			app.subscribeOtherApps();

			this.browser.open(app.url());
			this.browser.find("depth-reports");
			this.browser.open(app.url() + "#/failed");
			this.browser.find("failure");
			this.browser.open(app.url() + "#/bus");
			this.browser.find("app-billing");
			for (String page : List.of("", "#/failed", "#/bus")) {
				this.browser.open(app.url() + page);
				this.browser.until((d) -> !d.findElements(By.cssSelector("main table")).isEmpty());
				assertThat(this.browser.driver().findElements(By.cssSelector("main button")))
					.allSatisfy((button) -> assertThat(button.getText()).isIn("Filter", "Who listens?", "‹ Newer", "Older ›"));
			}

			Object status = this.browser.driver().executeAsyncScript("""
					const done = arguments[arguments.length - 1];
					fetch(arguments[0], { method: 'POST', headers: { 'Content-Type': 'application/json',
					  'X-ResqueBus-Dashboard': '1' }, body: JSON.stringify({ index: 0, digest: arguments[1] }) })
					  .then((r) => done(r.status));
					""", app.url() + "api/failed/remove", "any");
			assertThat(status).isEqualTo(403L);
			assertThat(app.list("failed")).containsExactly(entry);
		}
	}

	@Test
	void showsABannerWhileRedisIsDownAndRecoversByItself() {
		this.browser.start();
		EmbeddedRedisServer redis = TestRedis.dedicated();
		try (this.browser; DashboardApp app = DashboardApp.onRedis(redis.url(), "spring.data.redis.timeout=500ms")) {
			this.browser.open(app.url());
			this.browser.find("queues");
			assertThat(this.browser.find("banner").isDisplayed()).isFalse();

			redis.stop();
			this.browser.until((d) -> this.browser.find("banner").isDisplayed()
					&& this.browser.find("banner").getText().contains("Redis is unavailable"));
			assertThat(this.browser.find("banner").getText()).doesNotContain("null");

			redis.start();
			Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
				app.enqueue("reports", "{\"class\":\"ReportJob\",\"args\":[1]}"); // once the client reconnected
				return true;
			});
			this.browser.until((d) -> !this.browser.find("banner").isDisplayed() && this.browser.has("depth-reports"));
		}
		finally {
			redis.stop();
		}
	}

}
