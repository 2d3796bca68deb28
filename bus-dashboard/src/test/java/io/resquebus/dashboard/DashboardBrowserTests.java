package io.resquebus.dashboard;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (headless Debian chromium) against a running app on Redis, as
 * an operator uses it. Failed jobs are seeded in Ruby's format from the golden dump.
 */
class DashboardBrowserTests {

	@RegisterExtension
	static final Browser browser = new Browser();

	static DashboardApp app;

	@BeforeAll
	static void start() {
		if (Browser.available()) {
			browser.start();
			app = new DashboardApp();
		}
	}

	@AfterAll
	static void stop() {
		browser.close();
		if (app != null) {
			app.close();
		}
	}

	@BeforeEach
	void cleanRedis() {
		Browser.require();
		app.flush();
	}

	@Test
	void overviewShowsJobsEnqueuedAfterTheLoadWithoutReload() {
		app.redis.opsForValue().set(app.key("stat:processed"), "12840");
		app.redis.opsForValue().set(app.key("stat:failed"), "17");
		app.enqueue("mail", "{\"class\":\"MailJob\",\"args\":[\"welcome\",11]}");
		app.pushFailures(app.rubyFailure(Map.of()));
		browser.open(app.url());
		browser.find("queues");
		browser.script("window.__sameLoad = 'yes'");
		assertThat(browser.has("queue-reports")).isFalse();

		app.enqueue("reports", "{\"class\":\"ReportJob\",\"args\":[1]}");
		app.enqueue("reports", "{\"class\":\"ReportJob\",\"args\":[2]}");
		app.enqueue("reports", "{\"class\":\"ReportJob\",\"args\":[3]}");

		browser.until((d) -> browser.has("depth-reports") && browser.find("depth-reports").getText().equals("3"));
		app.redis.opsForValue().increment(app.key("stat:processed"), 25);
		browser.until((d) -> browser.find("processed").getText().equals("12,865"));
		assertThat(browser.script("return window.__sameLoad")).isEqualTo("yes");
		browser.screenshot(Path.of("target", "dashboard-overview.png"));
		String docs = System.getProperty("resquebus.dashboard.screenshot");
		if (docs != null) {
			browser.screenshot(Path.of(docs));
		}
	}

	@Test
	void listsFiltersAndGroupsFailedJobsSeededInRubysFormat() {
		app.pushFailures(app.rubyFailure(Map.of()),
				app.rubyFailure(Map.of("exception", "Timeout::Error", "error", "execution expired", "queue", "mail",
						"class", "MailJob", "args", List.of("welcome", 11))),
				app.rubyFailure(Map.of("exception", "Timeout::Error", "error", "smtp timed out", "queue", "mail",
						"class", "MailJob", "args", List.of("digest", 12))));
		browser.open(app.url() + "#/failed");

		browser.until((d) -> browser.all("failure").size() == 3);
		assertThat(browser.all("exception").stream().map(WebElement::getText))
			.containsExactly("Timeout::Error", "Timeout::Error", "ArgumentError"); // newest first
		assertThat(browser.all("group").stream().map(WebElement::getText))
			.containsExactly("Timeout::Error: 2", "ArgumentError: 1");

		browser.find("filter-text").sendKeys("bad rating");
		browser.find("filter-apply").click();
		browser.until((d) -> browser.all("failure").size() == 1);
		assertThat(browser.find("error").getText()).isEqualTo("bad rating 7");

		browser.find("filter-text").clear();
		browser.find("filter-queue").sendKeys("mail");
		browser.find("filter-class").sendKeys("MailJob");
		browser.find("filter-apply").click();
		browser.until((d) -> browser.all("failure").size() == 2);
		assertThat(browser.all("error").stream().map(WebElement::getText)).containsExactly("smtp timed out",
				"execution expired");
	}

	@Test
	void retryRequeuesExactlyTheChosenJobAndMarksItEvenAfterTheListShifted() {
		List<String> failures = openThreeFailures();
		String second = failures.get(1);
		String third = failures.get(2);
		browser.find("retry-1");

		app.redis.opsForList().leftPop(app.key("failed")); // another operator removed the oldest: indices shift
		browser.clickAndConfirm("retry-1"); // was "second", now index 1 holds "third"
		browser.until((d) -> browser.find("flash").getText().contains("has changed"));
		assertThat(app.list("queue:ratings")).isEmpty();
		assertThat(app.list("failed")).containsExactly(second, third);

		browser.until((d) -> browser.all("failure").size() == 2);
		browser.clickAndConfirm("retry-0"); // "second" as listed now
		browser.until((d) -> browser.find("flash").getText().startsWith("Done"));
		assertThat(app.list("queue:ratings")).containsExactly("{\"class\":\"RateJob\",\"args\":[\"second\",2]}");
		List<String> failed = app.list("failed");
		assertThat(failed).hasSize(2);
		assertThat(failed.get(0)).contains("\"retried_at\":\"").contains("\"second\"");
		assertThat(failed.get(1)).isEqualTo(third);
	}

	@Test
	void removeDeletesExactlyThatEntry() {
		List<String> failures = openThreeFailures();

		browser.clickAndConfirm("remove-1");
		browser.until((d) -> browser.all("failure").size() == 2);
		assertThat(app.list("failed")).containsExactly(failures.get(0), failures.get(2));
		assertThat(app.list("queue:ratings")).isEmpty();
	}

	@Test
	void whoListensShowsTheAppsForStringRegexAndAttributeMatchers() {
		app.subscribeOtherApps();
		browser.open(app.url() + "#/bus");
		browser.find("app-loyalty");

		assertThat(listeners("user_created")).containsExactlyInAnyOrder("audit", "billing");
		assertThat(listeners("user_deleted")).containsExactly("audit");
		assertThat(listeners("{\"bus_event_type\":\"user_created\",\"tier\":\"gold\"}"))
			.containsExactlyInAnyOrder("audit", "billing", "loyalty");
		listeners("order_placed");
		assertThat(browser.find("nobody").getText()).isEqualTo("Nobody listens to that.");
	}

	@Test
	void rendersAHostileJobArgumentAsText() {
		String hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
		app.pushFailures(app.rubyFailure(Map.of("args", List.of(hostile), "error", hostile)));
		app.enqueue("reports", "{\"class\":\"ReportJob\",\"args\":[\"" + hostile.replace("\"", "\\\"") + "\"]}");
		browser.open(app.url() + "#/failed");

		assertThat(browser.find("error").getText()).isEqualTo(hostile);
		browser.open(app.url() + "#/queues/reports");
		browser.until((d) -> browser.find("jobs").getText().contains("<script>"));
		assertThat(browser.driver().findElements(By.cssSelector("main img, main script"))).isEmpty();
		assertThat(browser.script("return window.__xss")).isNull();
	}

	@Test
	void showsAHugeQueuedJobCutWithItsSize() {
		String huge = "{\"class\":\"ReportJob\",\"args\":[\"" + "x".repeat(1024 * 1024) + "\"]}";
		app.enqueue("reports", huge);
		browser.open(app.url() + "#/queues/reports");

		browser.until((d) -> !browser.all("cut").isEmpty());
		assertThat(browser.find("cut").getText()).isEqualTo("(cut, " + String.format(java.util.Locale.ENGLISH, "%,d", huge.length()) + " bytes)");
	}

	/** Three failures of one job class, oldest first, and the failed page showing them. */
	private List<String> openThreeFailures() {
		List<String> failures = List.of(app.rubyFailure(Map.of("args", List.of("first", 1))),
				app.rubyFailure(Map.of("args", List.of("second", 2))), app.rubyFailure(Map.of("args", List.of("third", 3))));
		app.pushFailures(failures.toArray(String[]::new));
		browser.open(app.url() + "#/failed");
		browser.until((d) -> browser.all("failure").size() == 3);
		return failures;
	}

	private List<String> listeners(String input) {
		WebElement box = browser.find("listen-input");
		box.clear();
		box.sendKeys(input);
		browser.script("arguments[0].replaceChildren()", browser.find("listeners"));
		browser.find("listen").click();
		browser.until((d) -> browser.has("nobody") || !browser.find("listeners").findElements(By.cssSelector("[data-testid=app]")).isEmpty());
		return browser.find("listeners").findElements(By.cssSelector("[data-testid=app]")).stream().map(WebElement::getText).toList();
	}

}
