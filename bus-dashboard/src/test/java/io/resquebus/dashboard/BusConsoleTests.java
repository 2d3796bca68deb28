package io.resquebus.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.resquebus.autoconfigure.actuate.BusConsole;
import io.resquebus.inspect.BusInspector;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard adds to the console the endpoint shares, on a real Redis: filtered and
 * grouped failures, batched retry-all, who-listens, the schedule's actions.
 */
class BusConsoleTests {

	static DashboardApp app;

	static BusConsole console;

	@BeforeAll
	static void start() {
		app = new DashboardApp();
		console = app.context.getBean(BusConsole.class);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@BeforeEach
	void cleanRedis() {
		app.flush();
	}

	@Test
	void searchesFailuresNewestFirstOverABoundedWindowWithACursor() {
		String[] entries = new String[BusConsole.SEARCH_WINDOW + 500];
		for (int i = 0; i < entries.length; i++) {
			entries[i] = app.rubyFailure(Map.of("error", (i % 100 == 0) ? "needle " + i : "hay " + i));
		}
		app.pushFailures(entries);

		Map<String, Object> first = console.searchFailed(null, null, "NEEDLE", null, 100);
		assertThat(errors(first)).containsExactly("needle 1400", "needle 1300", "needle 1200", "needle 1100",
				"needle 1000", "needle 900", "needle 800", "needle 700", "needle 600", "needle 500");
		assertThat(first.get("scanned")).isEqualTo(1000L);
		Map<String, Object> rest = console.searchFailed(null, null, "needle", (Long) first.get("next"), 100);
		assertThat(errors(rest)).containsExactly("needle 400", "needle 300", "needle 200", "needle 100", "needle 0");
		assertThat(rest.get("next")).isNull();
	}

	@Test
	void groupsTheNewestFailuresByExceptionClass() {
		app.pushFailures(app.rubyFailure(Map.of("exception", "Timeout::Error")), app.rubyFailure(Map.of()),
				app.rubyFailure(Map.of("exception", "Timeout::Error")));

		assertThat(console.failureGroups().get("groups")).isEqualTo(List.of(
				Map.of("exception", "Timeout::Error", "count", 2L), Map.of("exception", "ArgumentError", "count", 1L)));
	}

	@Test
	void retriesAllInBatchesKeepingAndMarkingEveryEntryAsResqueWebDoes() {
		int count = BusConsole.RETRY_BATCH * 2 + 7;
		String[] entries = new String[count];
		for (int i = 0; i < count; i++) {
			entries[i] = app.rubyFailure(Map.of("args", List.of("item", i)));
		}
		app.pushFailures(entries);

		assertThat(console.retryAllFailed().body()).isEqualTo(Map.of("retried", (long) count));
		List<String> queued = app.list("queue:ratings");
		assertThat(queued).hasSize(count).first().isEqualTo("{\"class\":\"RateJob\",\"args\":[\"item\",0]}");
		assertThat(queued.get(count - 1)).isEqualTo("{\"class\":\"RateJob\",\"args\":[\"item\"," + (count - 1) + "]}");
		assertThat(app.list("failed")).hasSize(count).allSatisfy((entry) -> assertThat(entry).contains("\"retried_at\":"));
	}

	@Test
	void clearsTheFailedListAndAQueue() {
		app.pushFailures(app.rubyFailure(Map.of()), app.rubyFailure(Map.of()));
		app.enqueue("reports", "{\"class\":\"ReportJob\",\"args\":[1]}");

		assertThat(console.clearFailed().body()).isEqualTo(Map.of("cleared", 2L));
		assertThat(console.clearQueue("reports").body()).isEqualTo(Map.of("queue", "reports", "cleared", 1L));
		assertThat(app.list("failed")).isEmpty();
		assertThat(app.list("queue:reports")).isEmpty();
		assertThat(app.redis.opsForSet().isMember(app.key("queues"), "reports")).isTrue();
	}

	@Test
	void findsWhoListensWithTheDriversMatcher() {
		app.subscribeOtherApps();

		assertThat(apps(console.listeners("user_created"))).containsExactly("audit", "billing");
		assertThat(apps(console.listeners(" {\"bus_event_type\":\"user_created\",\"tier\":\"gold\"} ")))
			.containsExactly("audit", "billing", "loyalty");
		assertThat(apps(console.listeners("{\"tier\":\"gold\"}"))).isEmpty();
	}

	@Test
	void unsubscribesAnApp() {
		app.subscribeOtherApps();

		assertThat(console.unsubscribe("audit").status()).isEqualTo(200);
		assertThat(apps(console.listeners("user_deleted"))).isEmpty();
		assertThat(console.unsubscribe("audit").status()).isEqualTo(BusConsole.NOT_FOUND);
	}

	@Test
	void cancelsOneDelayedItemAndEnqueuesADueTimeNow() {
		String later = "{\"class\":\"ReportJob\",\"args\":[1],\"queue\":\"reports\"}";
		String cancelled = "{\"class\":\"ReportJob\",\"args\":[2],\"queue\":\"reports\"}";
		schedule("4102444800", later, cancelled);

		assertThat(console.cancelDelayed("4102444800", cancelled).status()).isEqualTo(200);
		assertThat(app.list("delayed:4102444800")).containsExactly(later);
		assertThat(app.redis.hasKey(app.key("timestamps:" + cancelled))).isFalse();
		assertThat(console.cancelDelayed("4102444800", cancelled).status()).isEqualTo(BusConsole.CONFLICT);

		assertThat(console.enqueueDelayedNow("4102444800").status()).isEqualTo(200);
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(app.list("queue:reports"))
			.containsExactly("{\"class\":\"ReportJob\",\"args\":[1]}"));
		assertThat(app.redis.opsForZSet().size(app.key("delayed_queue_schedule"))).isZero();
	}

	@Test
	@SuppressWarnings("unchecked")
	void listsAHugeQueuedOrDelayedJobCutWithItsFullSize() {
		String huge = "{\"class\":\"ReportJob\",\"args\":[\"" + "x".repeat(1024 * 1024) + "\"]}";
		app.enqueue("reports", huge);
		schedule("4102444800", huge);

		Map<String, Object> job = ((List<Map<String, Object>>) console.queue("reports", 0, 20).get("items")).get(0);
		Map<String, Object> slot = ((List<Map<String, Object>>) console.scheduled(0, 20).get("items")).get(0);
		Map<String, Object> item = ((List<Map<String, Object>>) slot.get("items")).get(0);

		for (Map<String, Object> cut : List.of(job, item)) {
			assertThat(cut).containsEntry("bytes", (long) huge.length()).containsEntry("truncated", true);
			assertThat((String) cut.get("text")).hasSize(BusInspector.MAX_VALUE_BYTES).isEqualTo(huge.substring(0,
					BusInspector.MAX_VALUE_BYTES));
		}
		assertThat(console.enqueueDelayedNow("4102444801").status()).isEqualTo(BusConsole.NOT_FOUND);
	}

	@Test
	void pagesAreSmallEnoughForThePage() throws Exception {
		long bytes = 0;
		for (String asset : List.of("index.html", "app.js", "app.css")) {
			bytes += Files.size(Path.of("src/main/resources/io/resquebus/dashboard/assets", asset));
		}
		assertThat(bytes).isLessThan(40 * 1024);
	}

	private void schedule(String timestamp, String... items) {
		for (String item : items) {
			app.redis.opsForList().rightPush(app.key("delayed:" + timestamp), item);
			app.redis.opsForSet().add(app.key("timestamps:" + item), "delayed:" + timestamp);
		}
		app.redis.opsForZSet().add(app.key("delayed_queue_schedule"), timestamp, Double.parseDouble(timestamp));
	}

	@SuppressWarnings("unchecked")
	private static List<String> errors(Map<String, Object> page) {
		return ((List<Map<String, Object>>) page.get("items")).stream().map((item) -> (String) item.get("error")).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<String> apps(Map<String, Object> listeners) {
		return ((List<Map<String, Object>>) listeners.get("items")).stream().map((item) -> (String) item.get("app")).toList();
	}

}
