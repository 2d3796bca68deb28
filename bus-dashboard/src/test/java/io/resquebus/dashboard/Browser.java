package io.resquebus.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian {@code chromium} through {@code chromium-driver}, both from apt, paths given
 * explicitly so Selenium never downloads a browser or a driver. Without them a test skips with a
 * message, except on CI ({@code CI=true}), where it fails. Saves a screenshot of a failed test
 * under {@code target/screenshots}.
 */
final class Browser implements TestWatcher, AutoCloseable {

	static final Path CHROMIUM = Path.of(System.getProperty("resquebus.test.chromium", "/usr/bin/chromium"));

	static final Path DRIVER = Path.of(System.getProperty("resquebus.test.chromedriver", "/usr/bin/chromedriver"));

	private static final Duration WAIT = Duration.ofSeconds(10);

	private ChromeDriver driver;

	private Path profile;

	static boolean available() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
	}

	/** Skips the test with a message when there is no browser, or fails it on CI ({@code CI=true}). */
	static void require() {
		if (!available()) {
			String message = "No browser for the dashboard's browser tests: need " + CHROMIUM + " and " + DRIVER
					+ " (Debian: apt-get install -y chromium chromium-driver)";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(message + "; CI never skips these tests");
			}
			Assumptions.abort(message);
		}
	}

	/** Starts a browser, or skips (fails on CI) when there is none. */
	void start() {
		require();
		System.setProperty("SE_OFFLINE", "true");
		System.setProperty("webdriver.chrome.driver", DRIVER.toString());
		try {
			this.profile = Files.createTempDirectory("resquebus-chromium");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,900", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/** Loads the page afresh (a URL differing only by its hash would not reload). */
	void open(String url) {
		this.driver.get("about:blank");
		this.driver.get(url);
	}

	WebElement find(String testId) {
		return until((d) -> d.findElements(By.cssSelector("[data-testid='" + testId + "']")).stream().findFirst().orElse(null));
	}

	List<WebElement> all(String testId) {
		return this.driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
	}

	boolean has(String testId) {
		return !all(testId).isEmpty();
	}

	<T> T until(Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
			.until(condition);
	}

	/** Clicks the element and accepts the confirmation it asks for. */
	void clickAndConfirm(String testId) {
		find(testId).click();
		until((d) -> {
			try {
				d.switchTo().alert().accept();
				return true;
			}
			catch (org.openqa.selenium.NoAlertPresentException ex) {
				return null;
			}
		});
	}

	Object script(String script, Object... args) {
		return this.driver.executeScript(script, args);
	}

	void screenshot(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		if (this.driver != null) {
			Path file = Path.of("target", "screenshots", context.getRequiredTestClass().getSimpleName() + "-"
					+ context.getRequiredTestMethod().getName() + ".png");
			screenshot(file);
			System.out.println("Screenshot of the failed test: " + file.toAbsolutePath());
		}
	}

	@Override
	public void close() {
		if (this.driver != null) {
			this.driver.quit();
		}
	}


}
