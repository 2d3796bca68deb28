package io.resquebus.wire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.testsupport.GoldenFiles;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The one-pass ways of writing and reading a job give exactly what the two-pass ways give: a job
 * is its event written, then written again as a JSON string; a rider job is the job of
 * {@link Events#rider}; a job's event string is what a JSON parser decodes from it.
 */
class WireCodecFastPathTests {

	private final WireCodec codec = new WireCodec();

	/** Strings that need every kind of escape, once and twice. */
	private static final List<String> AWKWARD = List.of("", "plain", "say \"hi\"", "back\\slash", "\\\"",
			"line\nbreak\r\t\f\b", "ctrl \u0001\u001f\u007f", "slash / and <tag>", "unicode é ü 漢字 😀",
			"lone \ud800 surrogate", "\\u0041 not an escape", "ends with \\", "\"", "{\"json\":\"inside\"}");

	static List<Map<String, Object>> events() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (String text : AWKWARD) {
			Map<String, Object> event = new LinkedHashMap<>();
			event.put("bus_published_at", 1717999999L);
			event.put("bus_event_type", "type " + text);
			event.put(text, text);
			event.put("list", List.of(text, 1, 2.5, true, List.of(text)));
			event.put("map", Map.of(text, Map.of("k", text)));
			event.put("nothing", null);
			event.put("bus_class_proxy", JobClasses.DRIVER);
			events.add(event);
		}
		Map<String, Object> numbers = new LinkedHashMap<>();
		numbers.put("int", 42);
		numbers.put("long", Long.MIN_VALUE);
		numbers.put("big", new BigInteger("123456789012345678901234567890"));
		numbers.put("double", 1.0e20);
		numbers.put("small", 1.5e-7);
		numbers.put("float", 0.1f);
		numbers.put("decimal", new BigDecimal("3.25"));
		numbers.put("char", '"');
		numbers.put("array", new Object[] { "a\"b", null, false });
		numbers.put("raw", new RawJson("{\"a\":\"b\\\\c\"}"));
		numbers.put("no proxy", "at the end");
		events.add(numbers);
		for (String file : List.of("02_published.json", "03_driven.json")) {
			GoldenFiles.keys(file).forEach((key, entry) -> {
				if (key.startsWith("resque:queue:")) {
					@SuppressWarnings("unchecked")
					List<String> values = (List<String>) entry.get("value");
					values.forEach((job) -> events.add(GoldenFiles.parseObject(GoldenFiles.innerJson(job))));
				}
			});
		}
		return events;
	}

	private static String twoPassJob(Map<String, ?> event) {
		return "{\"class\":\"QueueBus::Worker\",\"args\":[" + RubyJson.write(RubyJson.write(event)) + "]}";
	}

	@Test
	void writesAJobAsItsEventWrittenTwice() {
		List<Map<String, Object>> events = events();
		assertThat(events).hasSizeGreaterThan(AWKWARD.size() + 20);
		for (Map<String, Object> event : events) {
			assertThat(this.codec.job(event)).as(event.toString()).isEqualTo(twoPassJob(event));
		}
	}

	@Test
	void refusesWhatRubyCannotReadWhenWritingAJobToo() {
		Map<String, Object> nan = Map.of("x", Double.NaN);
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.job(nan)).withMessageContaining("NaN");
		Map<String, Object> deep = new LinkedHashMap<>();
		Object value = "bottom";
		for (int i = 0; i < 100; i++) {
			value = List.of(value);
		}
		deep.put("deep", value);
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.job(deep)).withMessageContaining("nested");
		assertThatIllegalArgumentException().isThrownBy(() -> RubyJson.write(deep)).withMessageContaining("nested");
	}

	@Test
	void writesARiderJobAsTheJobOfTheRiderMap() {
		List<SubscriptionEntry> subscriptions = List.of(
				new SubscriptionEntry("app_default", "Handler.on", JobClasses.RIDER, Map.of()),
				new SubscriptionEntry("q \"quoted\"", "key\\with\nescapes", "::Some \"Class\"", Map.of()));
		List<Map<String, Object>> events = new ArrayList<>(events());
		// Rider attributes already in the event keep their value in the rider's place.
		Map<String, Object> redriven = new LinkedHashMap<>();
		redriven.put("bus_event_type", "again");
		redriven.put("bus_rider_queue", "old_queue");
		redriven.put("bus_class_proxy", JobClasses.DRIVER);
		redriven.put("bus_driven_at", null);
		redriven.put("bus_rider_class_name", List.of("odd"));
		redriven.put("after", "x");
		events.add(redriven);
		Map<String, Object> noProxy = new LinkedHashMap<>();
		noProxy.put("bus_event_type", "no proxy");
		noProxy.put("bus_rider_sub_key", "given");
		events.add(noProxy);
		for (Map<String, Object> event : events) {
			for (SubscriptionEntry subscription : subscriptions) {
				for (String appKey : List.of("golden_app", "app \"x\"")) {
					assertThat(this.codec.riderJob(event, 1718000000L, appKey, subscription)).as(event.toString())
						.isEqualTo(this.codec.job(Events.rider(event, 1718000000L, appKey, subscription)));
				}
			}
		}
	}

	@Test
	void decodesTheEventStringOfEveryJobAsAJsonParserDoes() {
		List<String> jobs = new ArrayList<>();
		for (Map<String, Object> event : events()) {
			jobs.add(this.codec.job(event));
		}
		jobs.addAll(GoldenFiles.queue("02_published.json", "bus_incoming"));
		jobs.addAll(GoldenFiles.queue("03_driven.json", "golden_app_default"));
		String start = "{\"class\":\"QueueBus::Worker\",\"args\":[\"";
		// Escapes Ruby does not write but a parser reads: \/ \u00e9 \u00E9, surrogate pairs.
		for (String inner : List.of("{\\\"a\\/b\\\":\\\"\\u00e9\\u00E9\\ud83d\\ude00\\\"}", "{}",
				"{\\\"a\\\":\\\"\\\\\\\\\\\"}")) {
			jobs.add(start + inner + "\"]}");
		}
		int fast = 0;
		for (String raw : jobs) {
			String decoded = WireCodec.busEventString(raw);
			assertThat(decoded).as(raw).isNotNull();
			assertThat(decoded).as(raw).isEqualTo(jacksonEventString(raw));
			assertThat(this.codec.parseJob(raw).eventJson()).isEqualTo(decoded);
			assertThat(this.codec.parsePlainJob(raw).args()).containsExactly(decoded);
			fast++;
		}
		assertThat(fast).isGreaterThan(40);
	}

	@Test
	void leavesEveryOtherJobToTheParser() {
		String start = "{\"class\":\"QueueBus::Worker\",\"args\":[\"";
		for (String raw : List.of("{\"class\":\"::QueueBus::Worker\",\"args\":[\"{}\"]}",
				"{ \"class\":\"QueueBus::Worker\",\"args\":[\"{}\"]}", start + "{}\"] }", start + "{}\"]}\n",
				start + "{}\",\"{}\"]}", start + "{}\\\"]}", start + "\\x\"]}", start + "\\u12\"]}",
				start + "\\u12G4\"]}", start + "\\u١٢٣٤\"]}", start + "tab\there\"]}", start + "\"]}".substring(1),
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"{}\"],\"queue\":\"q\"}", start)) {
			assertThat(WireCodec.busEventString(raw)).as(raw).isNull();
		}
	}

	@Test
	void refusesAMalformedJobForTheSameReasonWithOrWithoutTheEnvelopeScan() {
		String start = "{\"class\":\"QueueBus::Worker\",\"args\":[\"";
		for (String inner : List.of("{x", "[1]", "", "{}}", "1")) {
			String raw = start + inner + "\"]}";
			assertThat(WireCodec.busEventString(raw)).isNotNull();
			Throwable fast = org.assertj.core.api.Assertions.catchThrowable(() -> this.codec.parseJob(raw));
			// A leading space takes the full decoding, which the mapper accepts.
			Throwable full = org.assertj.core.api.Assertions.catchThrowable(() -> this.codec.parseJob(" " + raw));
			assertThat(fast).as(raw).isInstanceOf(MalformedJobException.class);
			assertThat(full).as(raw).isInstanceOf(MalformedJobException.class);
			assertThat(fast.getMessage()).isEqualTo(full.getMessage());
		}
	}

	private String jacksonEventString(String raw) {
		Object args = this.codec.readObject(raw).get("args");
		assertThat(args).isInstanceOf(List.class);
		return (String) ((List<?>) args).get(0);
	}

	@Test
	void awkwardStringsCoverEveryEscape() {
		String all = String.join("", AWKWARD);
		for (String c : List.of("\"", "\\", "\n", "\r", "\t", "\f", "\b", "\u0001")) {
			assertThat(all).contains(c);
		}
	}

}
