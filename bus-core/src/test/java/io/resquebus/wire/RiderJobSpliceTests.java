package io.resquebus.wire;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.resquebus.testsupport.GoldenFiles;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A rider job spliced from the incoming job's text is, byte for byte, the rider job written from
 * the decoded event; a job whose text is not exactly what the bus writes is written in full.
 */
class RiderJobSpliceTests {

	private static final long NOW = 1_718_000_500L;

	private static final String START = "{\"class\":\"QueueBus::Worker\",\"args\":[\"";

	private static final String END = "\"]}";

	private final WireCodec codec = new WireCodec();

	private static final List<SubscriptionEntry> SUBSCRIPTIONS = List.of(
			new SubscriptionEntry("app_b_default", "user_created", JobClasses.RIDER, Map.of()),
			new SubscriptionEntry("q \"quoted\" / é", "key\\with\nescapes\u0001", "::Some \"Class\"", Map.of()),
			new SubscriptionEntry("app_d_été", "Handler.on_😀", "OtherSubscriber", Map.of()));

	private static final List<String> APP_KEYS = List.of("golden_app", "app \"x\" \\ \t");

	@Test
	void splicesEveryIncomingGoldenJobAsWrittenInFull() {
		int spliced = 0;
		int jobs = 0;
		for (String file : GoldenFiles.ALL) {
			for (String raw : workerJobs(GoldenFiles.keys(file))) {
				BusJob job = this.codec.parseJob(raw);
				assertSameRiderJobs(job);
				jobs++;
				// Ruby writes what the bus writes; rider jobs hold the rider attributes, whose values win;
				// a delayed item is another envelope.
				assertThat(this.codec.splicesRiderJobs(job)).as(raw)
					.isEqualTo(raw.equals(this.codec.job(job.event())) && spliceable(job.event()));
				if (JobClasses.DRIVER.equals(job.proxy())) {
					assertThat(this.codec.splicesRiderJobs(job)).as(raw).isTrue();
					spliced++;
				}
			}
		}
		assertThat(jobs).isGreaterThan(30);
		assertThat(spliced).isGreaterThanOrEqualTo(15);
	}

	@Test
	void splicesEventsTheBusWritesWhateverTheyHold() {
		List<Map<String, Object>> events = new ArrayList<>();
		events.add(event("text", "a \"quoted\" \\ line\nnext\ttab\r\f\b \u0000\u001f\u007f / </script>"));
		events.add(event("unicode", "é ü 漢字 😀 \u2028\u2029 \ufeff"));
		events.add(event("lone", "\ud800 and \udc00"));
		events.add(event("", ""));
		events.add(event("key \"with\" \\ escapes\n/", List.of("", Map.of())));
		events.add(event("nested", Map.of("a", List.of(1, List.of(2, Map.of("b", List.of())), Map.of("c\"", "d\\")))));
		events.add(event("big", new BigInteger("18446744073709551616")));
		events.add(event("negativeBig", new BigInteger("-123456789012345678901234567890")));
		events.add(event("long", Long.MIN_VALUE));
		events.add(event("int", -7));
		events.add(event("zero", 0));
		for (double d : new double[] { 1.0e20, 10.5, -0.0, 0.0, 1.0e-7, 3.0, 98.6, 5.0e-324, Double.MAX_VALUE, 1.0e23,
				123456789012345.6, 1.0e15, 1.0e16, 0.0001 }) {
			events.add(event("float", d));
		}
		events.add(event("null", null));
		events.add(event("true", true));
		events.add(event("false", false));
		events.add(event("bus_context", Map.of("bus_class_proxy", "nested proxy is only an attribute")));
		Map<String, Object> proxyOnly = new LinkedHashMap<>();
		proxyOnly.put("bus_event_type", "minimal");
		proxyOnly.put(BusAttributes.CLASS_PROXY, JobClasses.DRIVER);
		events.add(proxyOnly);
		for (Map<String, Object> event : events) {
			BusJob job = this.codec.parseJob(this.codec.job(event));
			assertThat(this.codec.splicesRiderJobs(job)).as(event.toString()).isTrue();
			assertSameRiderJobs(job);
		}
	}

	@Test
	void writesInFullWhatCannotBeSpliced() {
		List<String> inner = new ArrayList<>();
		// The event's own rider attributes win, in the rider's place.
		inner.add("{\"bus_event_type\":\"x\",\"bus_rider_queue\":\"elsewhere\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_driven_at\":1718000150,\"bus_event_type\":\"x\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"x\",\"bus_rider_app_key\":null,\"bus_rider_sub_key\":[1],"
				+ "\"bus_rider_class_name\":\"Other\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		// bus_class_proxy missing, not last, or alone.
		inner.add("{\"bus_event_type\":\"x\",\"id\":1}");
		inner.add("{\"bus_class_proxy\":\"QueueBus::Driver\",\"bus_event_type\":\"x\"}");
		inner.add("{\"bus_event_type\":\"x\",\"bus_class_proxy\":\"QueueBus::Driver\",\"after\":true}");
		inner.add("{\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{}");
		// Text the bus does not write, though it reads the same event.
		inner.add("{ \"bus_event_type\":\"x\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"x\", \"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\" :\"x\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"x\",\"bus_class_proxy\":\"QueueBus::Driver\"}\n");
		inner.add("{\"bus_event_type\":\"x\",\"l\":[1, 2],\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"a\\/b\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"caf\\u00e9\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"\\ud83d\\ude00\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"\\u001F\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"\\u000a\\u0022\\u005c\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"\\u0041\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_\\u0074ype\":\"x\",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		inner.add("{\"bus_event_type\":\"x\",\"bus_class_proxy\":\"QueueBus::Driv\\u0065r\"}");
		for (String number : List.of("1E2", "1e2", "1.50", "1.0E+20", "1.0e20", "100000000000000000000.0", "-0", "0.10",
				"1.0e-4", "1e400", "-1e400", "0.1000000000000000055511151231257827", "4.9e-324")) {
			inner.add("{\"bus_event_type\":\"x\",\"n\":" + number + ",\"bus_class_proxy\":\"QueueBus::Driver\"}");
		}
		List<String> jobs = new ArrayList<>();
		for (String json : inner) {
			jobs.add(START + RubyJson.write(json).substring(1, RubyJson.write(json).length() - 1) + END);
		}
		// The event as the bus writes it, in an envelope with escapes Ruby does not write.
		String event = "{\\\"bus_event_type\\\":\\\"a/é\\\\n\\\",\\\"bus_class_proxy\\\":\\\"QueueBus::Driver\\\"}";
		assertThat(this.codec.splicesRiderJobs(this.codec.parseJob(START + event + END))).isTrue();
		jobs.add(START + event.replace("/", "\\/") + END);
		jobs.add(START + event.replace("é", "\\u00e9") + END);
		jobs.add(START + event.replace("\\\"", "\\u0022") + END);
		jobs.add(START + event.replace("\\\\n", "\\u005c\\u006e") + END);
		// Another envelope, which the mapper decodes.
		jobs.add(" " + START + event + END);
		jobs.add("{\"class\":\"::QueueBus::Worker\",\"args\":[\"" + event + END);
		jobs.add("{\"args\":[\"" + event + "\"],\"class\":\"QueueBus::Worker\"}");
		for (String raw : jobs) {
			BusJob job = this.codec.parseJob(raw);
			assertThat(this.codec.splicesRiderJobs(job)).as(raw).isFalse();
			assertSameRiderJobs(job);
		}
	}

	@Test
	void refusesAJobWhoseProxyMemberIsNotWhereItSays() {
		BusJob job = this.codec.parseJob(this.codec.job(event("id", 1)));
		assertThat(job.proxyAt()).isGreaterThan(0);
		assertThat(new BusJob(job.raw(), job.className(), job.event(), job.eventJson(), job.proxyAt())).isEqualTo(job);
		for (int wrong : new int[] { 0, job.proxyAt() - 1, job.proxyAt() + 1, job.raw().length() }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new BusJob(job.raw(), job.className(), job.event(), job.eventJson(), wrong));
		}
	}

	@Test
	void splicesNothingWhenTheCodecReadsWithItsOwnMapper() {
		WireCodec custom = new WireCodec(WireCodec.defaultMapper());
		BusJob job = custom.parseJob(this.codec.job(event("id", 1)));
		assertThat(custom.splicesRiderJobs(job)).isFalse();
	}

	/**
	 * Random events written by the bus, then the same events as text the bus does not write
	 * (escapes and spacing another JSON writer may use): each rider job equals the one written in full.
	 */
	@Test
	void splicesRandomEventsAsWrittenInFull() {
		Random random = new Random(20261207L);
		int spliced = 0;
		int variants = 0;
		for (int n = 0; n < 3000; n++) {
			Map<String, Object> event = randomEvent(random);
			String raw = this.codec.job(event);
			BusJob job = this.codec.parseJob(raw);
			assertThat(this.codec.splicesRiderJobs(job)).as(raw).isEqualTo(spliceable(event));
			spliced += this.codec.splicesRiderJobs(job) ? 1 : 0;
			assertSameRiderJobs(job);
			String variant = variant(raw, random);
			if (!variant.equals(raw)) {
				BusJob other = this.codec.parseJob(variant);
				assertThat(other.event()).isEqualTo(job.event());
				assertThat(this.codec.splicesRiderJobs(other)).as(variant).isFalse();
				assertSameRiderJobs(other);
				variants++;
			}
		}
		System.out.println("spliced " + spliced + ", variants " + variants);
		assertThat(spliced).isGreaterThan(2000);
		assertThat(variants).isGreaterThan(1200);
	}

	/** Whether the bus writes the event with bus_class_proxy last, not alone, and no rider attribute. */
	private static boolean spliceable(Map<String, Object> event) {
		List<String> keys = new ArrayList<>(event.keySet());
		return keys.size() > 1 && keys.get(keys.size() - 1).equals(BusAttributes.CLASS_PROXY)
				&& keys.stream().noneMatch(WireCodec::isRiderKey);
	}

	/** The same job as text the bus does not write: one kind of change, where the text allows it. */
	private static String variant(String raw, Random random) {
		String inner = GoldenFiles.innerJson(raw);
		switch (random.nextInt(6)) {
			case 0:
				return START + escapedOnce(" " + inner) + END;
			case 1:
				return START + escapedOnce(inner.substring(0, inner.length() - 1) + "\n}") + END;
			case 2:
				// Only strings hold a '/' or a non-ASCII character.
				return START + escapedOnce(inner.replace("/", "\\/")) + END;
			case 3: {
				StringBuilder out = new StringBuilder();
				inner.chars().forEach((c) -> out.append((c > 0x7e) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
				return START + escapedOnce(out.toString()) + END;
			}
			case 4:
				return START + escapedOnce(inner.replace("\\u001f", "\\u001F").replace("\\\\", "\\u005c")) + END;
			default:
				return raw.replace("/", "\\/").replace("\\\\", "\\u005c");
		}
	}

	private static String escapedOnce(String text) {
		String quoted = RubyJson.write(text);
		return quoted.substring(1, quoted.length() - 1);
	}

	private static final String[] PIECES = { "a", "b", "xyz", "bus_", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f",
			"\u0000", "\u001f", "\u007f", "é", "漢", "😀", "\ud800", "\u2028", " ", "{", "}", ":", ",", "[", "]", "1", "\\u0041" };

	private static final String[] RIDER_KEYS = { BusAttributes.DRIVEN_AT, BusAttributes.RIDER_QUEUE,
			BusAttributes.RIDER_APP_KEY, BusAttributes.RIDER_SUB_KEY, BusAttributes.RIDER_CLASS_NAME };

	private static Map<String, Object> randomEvent(Random random) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put(BusAttributes.PUBLISHED_AT, 1_718_000_000L + random.nextInt(1000));
		event.put(BusAttributes.EVENT_TYPE, randomString(random));
		int attributes = random.nextInt(8);
		for (int i = 0; i < attributes; i++) {
			event.put(randomString(random), randomValue(random, 0));
		}
		int shape = random.nextInt(20);
		if (shape == 0) {
			event.put(RIDER_KEYS[random.nextInt(RIDER_KEYS.length)], randomValue(random, 2));
		}
		if (shape == 1) {
			// No proxy at all.
			return event;
		}
		event.put(BusAttributes.CLASS_PROXY, (random.nextInt(10) == 0) ? randomString(random) : JobClasses.DRIVER);
		if (shape == 2) {
			event.put("after_the_proxy", randomValue(random, 2));
		}
		return event;
	}

	private static String randomString(Random random) {
		StringBuilder out = new StringBuilder();
		int pieces = random.nextInt(6);
		for (int i = 0; i < pieces; i++) {
			out.append(PIECES[random.nextInt(PIECES.length)]);
		}
		return out.toString();
	}

	private static Object randomValue(Random random, int depth) {
		int kind = random.nextInt((depth < 3) ? 11 : 9);
		return switch (kind) {
			case 0, 1 -> randomString(random);
			case 2 -> random.nextInt() >> random.nextInt(32);
			case 3 -> random.nextLong() >> random.nextInt(64);
			case 4 -> (random.nextBoolean() ? BigInteger.ONE : BigInteger.ONE.negate()).multiply(new BigInteger(60 + random.nextInt(80), random));
			case 5 -> randomDouble(random);
			case 6 -> random.nextBoolean();
			case 7 -> "";
			case 8 -> (random.nextBoolean()) ? randomString(random) : 0;
			case 9 -> {
				List<Object> list = new ArrayList<>();
				int size = random.nextInt(4);
				for (int i = 0; i < size; i++) {
					list.add(randomValue(random, depth + 1));
				}
				yield list;
			}
			default -> {
				Map<String, Object> map = new LinkedHashMap<>();
				int size = random.nextInt(4);
				for (int i = 0; i < size; i++) {
					map.put(randomString(random), randomValue(random, depth + 1));
				}
				yield map;
			}
		};
	}

	private static double randomDouble(Random random) {
		double d;
		do {
			d = switch (random.nextInt(4)) {
				case 0 -> Double.longBitsToDouble(random.nextLong());
				case 1 -> random.nextInt(100000) / 100.0;
				case 2 -> (random.nextBoolean() ? 1 : -1) * Math.pow(10, random.nextInt(40) - 20);
				default -> random.nextGaussian() * 1e6;
			};
		}
		while (Double.isNaN(d) || Double.isInfinite(d));
		return d;
	}

	private static Map<String, Object> event(String name, @Nullable Object value) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put(BusAttributes.PUBLISHED_AT, 1_718_000_000L);
		event.put(BusAttributes.EVENT_TYPE, "user_created");
		event.put(BusAttributes.ID, "1718000000-2b1f0c4e-6f0e-4a51-9d1e-0c2f5b8f7a11");
		event.put(name, value);
		event.put(BusAttributes.CLASS_PROXY, JobClasses.DRIVER);
		return event;
	}

	/** Every rider job of the job equals the one written from its decoded event, or fails alike. */
	private void assertSameRiderJobs(BusJob job) {
		for (SubscriptionEntry subscription : SUBSCRIPTIONS) {
			for (String appKey : APP_KEYS) {
				Throwable expectedFailure = catchThrowable(() -> this.codec.riderJob(job.event(), NOW, appKey, subscription));
				if (expectedFailure != null) {
					assertThat(catchThrowable(() -> this.codec.riderJob(job, NOW, appKey, subscription)))
						.as(job.raw()).isInstanceOf(expectedFailure.getClass()).hasMessage(expectedFailure.getMessage());
					assertThat(catchThrowable(() -> this.codec.riderJob(job, NOW, RiderMembers.of(appKey, subscription))))
						.as(job.raw()).isInstanceOf(expectedFailure.getClass()).hasMessage(expectedFailure.getMessage());
					continue;
				}
				String expected = this.codec.riderJob(job.event(), NOW, appKey, subscription);
				assertThat(this.codec.riderJob(job, NOW, appKey, subscription)).as(job.raw()).isEqualTo(expected);
				assertThat(this.codec.riderJob(job, NOW, RiderMembers.of(appKey, subscription))).as(job.raw())
					.isEqualTo(expected);
				assertThat(expected).isEqualTo(this.codec.job(Events.rider(job.event(), NOW, appKey, subscription)));
			}
		}
	}

	/** Every string anywhere in a dump that is a QueueBus::Worker job. */
	private static List<String> workerJobs(Object value) {
		List<String> jobs = new ArrayList<>();
		if (value instanceof String text && text.startsWith("{\"class\":\"QueueBus::Worker\"")) {
			jobs.add(text);
		}
		else if (value instanceof Map<?, ?> map) {
			map.values().forEach((item) -> jobs.addAll(workerJobs(item)));
		}
		else if (value instanceof List<?> list) {
			list.forEach((item) -> jobs.addAll(workerJobs(item)));
		}
		return jobs;
	}

}
