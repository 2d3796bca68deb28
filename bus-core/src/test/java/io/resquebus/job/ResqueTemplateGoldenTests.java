package io.resquebus.job;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.resquebus.BusSettings;
import io.resquebus.schedule.SchedulerRunner;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.PlainJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What {@link ResqueTemplate} writes equals, byte for byte, what resque 1.27.4 and
 * resque-scheduler 4.11.0 wrote for the same calls (golden dumps {@code resque/12..14b}).
 */
class ResqueTemplateGoldenTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	@ResqueClass(value = "Archive", queue = "file_serve")
	record Archive(long repoId, String branch) {
	}

	private ResqueTemplate template() {
		return new ResqueTemplate(this.bus.redis(), this.bus.goldenSettings(TestBus.GOLDEN_NOW));
	}

	private static Map<String, Object> hashArg() {
		Map<String, Object> hash = new LinkedHashMap<>();
		hash.put("a", 1);
		hash.put("b", Arrays.asList(1, 2.5, null, true));
		return hash;
	}

	/** Step 12, with {@code Resque.enqueue}, {@code enqueue_to} and {@code push}. */
	private void enqueueStep12(ResqueTemplate jobs) {
		jobs.enqueue("file_serve", "Archive", 42, "masterbrew");
		jobs.enqueue("high", "Archive", hashArg(), "Zoë 😀");
		jobs.enqueue("low", "Namespaced::Job");
		jobs.enqueue("file_serve", "Archive", 1.0e20, 3.0, BigInteger.TWO.pow(64));
	}

	@Test
	void enqueueWritesTheBytesRubysResqueEnqueueWrote() {
		enqueueStep12(template());
		assertMatches(Golden.load("resque/12_enqueued.json"));
	}

	@Test
	void enqueueAllWritesTheSameBytesInOneCall() {
		template().enqueueAll(List.of(JobRequest.of("file_serve", "Archive", 42, "masterbrew"),
				JobRequest.of("high", "Archive", hashArg(), "Zoë 😀"), JobRequest.of("low", "Namespaced::Job"),
				JobRequest.of("file_serve", "Archive", 1.0e20, 3.0, BigInteger.TWO.pow(64))));
		assertMatches(Golden.load("resque/12_enqueued.json"));
	}

	@Test
	void enqueueOfAResqueClassRecordNamesItsClassAndQueueAndWritesItsComponentsAsArgs() {
		template().enqueue(new Archive(42, "masterbrew"));
		Golden golden = Golden.load("resque/12_enqueued.json");
		assertThat(this.bus.list(this.bus.keys().queue("file_serve")))
			.containsExactly(golden.list("queue:file_serve").get(0));
		assertThat(this.bus.members(this.bus.keys().queues())).containsExactly("file_serve");
	}

	@Test
	void queueApiAnswersAsResqueDidAfterStep12() throws Exception {
		ResqueTemplate jobs = template();
		enqueueStep12(jobs);
		JsonNode after = meta("12_enqueued.json").get("resque_api_after");
		assertThat(jobs.queues()).containsExactly("file_serve", "high", "low");
		assertThat(jobs.size("file_serve")).isEqualTo(2);
		assertThat(jobs.size("high")).isEqualTo(1);
		assertThat(jobs.size("nowhere")).isZero();
		PlainJob head = jobs.peek("file_serve");
		assertThat(head).isNotNull();
		assertThat(head.className()).isEqualTo("Archive");
		assertThat(head.args()).containsExactly(42, "masterbrew");
		assertThat(jobs.peek("file_serve", 0, 2)).extracting(PlainJob::raw)
			.containsExactlyElementsOf(Golden.load("resque/12_enqueued.json").list("queue:file_serve"));
		assertThat(jobs.peek("file_serve", 1, 1).get(0).args())
			.containsExactly(1.0e20, 3.0, BigInteger.TWO.pow(64));
		assertThat(after.get("Resque.peek(\"file_serve\", 5, 1) (past the end)").isNull()).isTrue();
		assertThat(jobs.peek("file_serve", 5, 1)).isEmpty();
		assertThat(jobs.peek("file_serve", 5, 2)).isEmpty();
		jobs.removeQueue("high");
		assertThat(jobs.queues()).containsExactly("file_serve", "low");
		assertThat(this.bus.template().hasKey(this.bus.keys().queue("high"))).isFalse();
	}

	@Test
	void dequeueWithArgsRemovesEveryByteEqualCopyAndWithoutArgsEveryJobOfTheClassOnThatQueueOnly() {
		ResqueTemplate jobs = template();
		enqueueStep12(jobs);
		assertThat(jobs.dequeue("file_serve", "Archive", 42, "masterbrew")).isEqualTo(1);
		assertMatches(Golden.load("resque/13_dequeued.json"));
		assertThat(jobs.dequeue("file_serve", "Archive")).isEqualTo(1);
		assertMatches(Golden.load("resque/13b_dequeued_all.json"));
		jobs.enqueue("q", "Archive", 1);
		jobs.enqueue("q", "Archive", 1);
		jobs.enqueue("q", "Other", 1);
		assertThat(jobs.dequeue("q", "Archive", 1)).isEqualTo(2);
		assertThat(jobs.size("q")).isEqualTo(1);
	}

	@Test
	void enqueueAtAndEnqueueInWriteResqueSchedulersDelayedItemsAndOurSchedulerMovesThemAsRubysDid() {
		ResqueTemplate jobs = template();
		jobs.enqueueAt(Instant.ofEpochSecond(1_700_000_060L), "file_serve", "Archive", 7, "later");
		jobs.enqueueIn(Duration.ofSeconds(120), "file_serve", "Archive", 8);
		assertMatches(Golden.load("resque/14_enqueue_at.json"));
		BusSettings later = this.bus.goldenSettings(1_700_000_061L);
		SchedulerRunner scheduler = new SchedulerRunner(this.bus.redis(), later, Duration.ofMillis(50), 100);
		scheduler.start();
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> !this.bus.list(this.bus.keys().queue("file_serve")).isEmpty());
		}
		finally {
			scheduler.stop();
		}
		assertMatches(Golden.load("resque/14b_delayed_moved.json"));
	}

	@Test
	void enqueueAtATimeNotInTheFutureEnqueuesAtOnce() {
		template().enqueueAt(Instant.ofEpochSecond(TestBus.GOLDEN_NOW - 1), "file_serve", "Archive", 9);
		assertThat(this.bus.list(this.bus.keys().queue("file_serve")))
			.containsExactly("{\"class\":\"Archive\",\"args\":[9]}");
		assertThat(this.bus.template().hasKey(this.bus.keys().delayedSchedule())).isFalse();
	}

	@Test
	void refusesWhatRubyCannotReadBeforeWritingAnything() {
		ResqueTemplate jobs = template();
		assertThatIllegalArgumentException().isThrownBy(() -> jobs.enqueue("q", "Archive", Double.NaN))
			.withMessageContaining("NaN");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> jobs.enqueue("q", "Archive", Double.POSITIVE_INFINITY));
		assertThatIllegalArgumentException().isThrownBy(() -> jobs.enqueue("q", "Archive", "bad \uD800 half"))
			.withMessageContaining("lone surrogate");
		assertThatIllegalArgumentException().isThrownBy(() -> jobs.enqueue("q", "Archive", Instant.now()))
			.withMessageContaining("java.time.Instant");
		assertThatIllegalArgumentException().isThrownBy(() -> jobs.enqueue("q", "", 1))
			.withMessageContaining("Jobs must be given a class");
		assertThatIllegalArgumentException().isThrownBy(() -> jobs.enqueue("", "Archive", 1))
			.withMessageContaining("Jobs must be placed onto a queue");
		assertThatIllegalArgumentException().isThrownBy(() -> jobs.enqueue(new Object()))
			.withMessageContaining("@ResqueClass");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> jobs.enqueueAll(List.of(JobRequest.of("q", "Archive", 1), JobRequest.of("q", "X", Double.NaN))));
		assertThat(this.bus.template().keys(this.bus.namespace() + ":*")).isEmpty();
	}

	@Test
	void recordsAndPojosAmongTheArgsAreWrittenAsJsonObjects() {
		template().enqueue("q", "Archive", new Archive(1, "main"));
		assertThat(this.bus.list(this.bus.keys().queue("q")))
			.containsExactly("{\"class\":\"Archive\",\"args\":[{\"repoId\":1,\"branch\":\"main\"}]}");
	}

	@Test
	void retryCounterKeysFollowResqueRetrysIdentifierRules() throws Exception {
		JsonNode probes = JsonMapper.builder().build()
			.readTree(getClass().getResourceAsStream("/golden/resque/probes.json"));
		BusKeys keys = new BusKeys("resque");
		JsonMapper mapper = this.bus.settings().codec().mapper();
		int checked = 0;
		for (JsonNode probe : probes.get("retry_identifiers")) {
			List<?> args = mapper.readValue(probe.get("args as decoded from the queue").toString(), List.class);
			assertThat(keys.retryCounter("RetryJob", args)).as(probe.get("enqueued args (inspect)").asString())
				.isEqualTo(probe.get("key (namespaced)").asString());
			checked++;
		}
		assertThat(checked).isGreaterThanOrEqualTo(10);
	}

	/**
	 * Every value resque's json_gem encoding was probed with ({@code probes.json}: floats in Ruby's
	 * form, integers of any size, raw UTF-8, escapes, nil/bool/empty, hash keys, key order), read
	 * back and enqueued as an argument, is written in exactly Ruby's bytes.
	 */
	@Test
	void enqueuedArgumentsAreWrittenInRubysJsonGemEncodingForEveryProbedValue() throws Exception {
		JsonNode probes = JsonMapper.builder().build()
			.readTree(getClass().getResourceAsStream("/golden/resque/probes.json"))
			.get("encode_json_gem");
		ResqueTemplate jobs = template();
		JsonMapper mapper = this.bus.settings().codec().mapper();
		int checked = 0;
		for (var probe : probes.properties()) {
			if (!probe.getValue().has("json")) {
				continue; // the refused ones: refusesWhatRubyCannotReadBeforeWritingAnything
			}
			String json = probe.getValue().get("json").asString();
			jobs.enqueue("probes", "Probe", mapper.readValue(json, Object.class));
			assertThat(this.bus.list(this.bus.keys().queue("probes")).get(checked)).as(probe.getKey())
				.isEqualTo("{\"class\":\"Probe\",\"args\":[" + json + "]}");
			checked++;
		}
		assertThat(checked).isEqualTo(10);
	}

	private JsonNode meta(String file) throws Exception {
		return JsonMapper.builder().build()
			.readTree(getClass().getResourceAsStream("/golden/resque/" + file))
			.get("_meta");
	}

	/** Every key of the dump has the same type and value here, and there is no other key. */
	private void assertMatches(Golden golden) {
		Set<String> expected = new TreeSet<>();
		golden.keys().forEach((key, entry) -> {
			String local = this.bus.namespace() + key.substring("resque".length());
			expected.add(local);
			switch (entry.type()) {
				case "list" -> assertThat(this.bus.list(local)).as(key).isEqualTo(entry.strings());
				case "set" -> assertThat(new TreeSet<>(this.bus.members(local))).as(key)
					.isEqualTo(new TreeSet<>(entry.strings()));
				case "string" -> assertThat(this.bus.get(local)).as(key).isEqualTo(entry.value().asString());
				case "zset" -> {
					List<String> members = entry.value().valueStream().map((pair) -> pair.get(0).asString()).toList();
					assertThat(this.bus.template().opsForZSet().range(local, 0, -1)).as(key)
						.containsExactlyElementsOf(members);
					entry.value().forEach((pair) -> assertThat(
							this.bus.template().opsForZSet().score(local, pair.get(0).asString()))
						.isEqualTo(pair.get(1).asDouble()));
				}
				default -> throw new IllegalStateException(entry.type());
			}
		});
		assertThat(new TreeSet<>(this.bus.template().keys(this.bus.namespace() + ":*"))).isEqualTo(expected);
	}

}
