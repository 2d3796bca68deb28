package io.resquebus.wire;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.resquebus.testsupport.GoldenFiles;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A job's event read in one pass where the job carries it, still escaped, is exactly what the
 * two-step decoding gives (the event string decoded, then read): the same map, value types and
 * key order, the same event string and retry counter key; and every job it declines, however
 * hostile, gets the same event or the same refusal as before.
 */
class WireCodecOnePassDecodingTests {

	private static final String START = "{\"class\":\"QueueBus::Worker\",\"args\":[\"";

	private static final String END = "\"]}";

	private static final List<String> GOLDEN_FILES = List.of("01_subscribed.json", "02_published.json",
			"03_driven.json", "04_ridden.json", "05_publish_at.json", "06_delayed_enqueued.json",
			"07_delayed_published.json", "08_delayed_delivered.json", "x3_worker_registered.json",
			"resque/12_enqueued.json", "resque/14_enqueue_at.json", "resque/15_worked.json", "resque/16_failed.json",
			"resque/17_retry.json", "resque/17c_backoff_first.json", "resque/17e_retry_suppressed.json",
			"resque/18_unknown_class.json");

	private final WireCodec codec = new WireCodec();

	private final BusKeys keys = new BusKeys("resque");

	private int asciiJobsHashedFromTheirBytes;

	@Test
	void readsEveryGoldenJobAsTheTwoStepDecodingDoes() {
		List<String> texts = new ArrayList<>();
		for (String file : GOLDEN_FILES) {
			GoldenFiles.keys(file).values().forEach((entry) -> collectStrings(entry.get("value"), texts));
		}
		int onePass = 0;
		for (String text : texts) {
			onePass += assertSameDecoding(text) ? 1 : 0;
		}
		// Every bus job Ruby wrote is read in one pass.
		assertThat(onePass).isGreaterThan(20);
		for (String text : texts) {
			if (text.startsWith(START) && text.endsWith(END)) {
				assertThat(readsInOnePass(text)).as(text).isTrue();
			}
		}
	}

	@Test
	void readsThousandsOfRandomEventsAsTheTwoStepDecodingDoes() {
		Random random = new Random(20261207L);
		SubscriptionEntry subscription = new SubscriptionEntry("app_default", "Handler.on", JobClasses.RIDER,
				Map.of());
		for (int i = 0; i < 3000; i++) {
			Map<String, Object> event = randomEvent(random);
			String job = this.codec.job(event);
			assertThat(assertSameDecoding(job)).as(job).isTrue();
			String rider = this.codec.riderJob(event, 1718000000L, "app", subscription);
			assertThat(assertSameDecoding(rider)).as(rider).isTrue();
			// The event read is the event written.
			SameValues.assertSameValue(this.codec.parseJob(job).event(), RubyJsonRoundTrip.read(RubyJson.write(event)), job);
		}
		// Among them, ASCII jobs whose retry counter key was hashed from their bytes.
		assertThat(this.asciiJobsHashedFromTheirBytes).isGreaterThan(100);
	}

	@Test
	void decodesJobsWithEscapesRubyDoesNotWriteAsBefore() {
		Random random = new Random(7L);
		int declined = 0;
		for (int i = 0; i < 3000; i++) {
			String job = this.codec.job(randomEvent(random));
			String mutated = respell(job, random);
			assertSameDecoding(mutated);
			declined += readsInOnePass(mutated) ? 0 : 1;
		}
		assertThat(declined).isGreaterThan(1000);
	}

	@Test
	void decodesDamagedJobsAsBefore() {
		Random random = new Random(11L);
		String alphabet = "\\\"u{}[],: 0a9-.eE\u0000\u001f\n\t\ud800\udc00é/";
		for (int i = 0; i < 5000; i++) {
			StringBuilder job = new StringBuilder(this.codec.job(randomEvent(random)));
			int edits = 1 + random.nextInt(3);
			for (int e = 0; e < edits; e++) {
				int room = job.length() - START.length() - END.length();
				if (room < 0) {
					break;
				}
				int at = START.length() + random.nextInt(room + 1);
				switch (random.nextInt(3)) {
					case 0 -> job.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
					case 1 -> {
						if (at < job.length() - END.length()) {
							job.deleteCharAt(at);
						}
					}
					default -> job.setLength(Math.min(job.length(), at)); // truncated
				}
			}
			if (random.nextBoolean() && !job.toString().endsWith(END)) {
				job.append(END);
			}
			assertSameDecoding(job.toString());
		}
	}

	@Test
	void decodesHostileJobsAsBefore() {
		List<String> events = new ArrayList<>(List.of("", "{", "}", "{}", "{} ", " {}", "{}x", "{}{}", "[]", "1",
				"null", "\\\"s\\\"", "{\\\"a\\\"}", "{\\\"a\\\":}", "{\\\"a\\\":1,}", "{\\\"a\\\":1 \\\"b\\\":2}",
				// truncated escapes, outer and inner
				"{\\\"a\\\":1}\\", "{\\\"a\\\":\\\"x\\", "{\\\"a\\\":\\\"x\\\\", "{\\\"a\\\":\\\"x\\\\\\", "{\\\"a\\\":\\\"x",
				"{\\\"a\\\":\\\"\\\\u12\\\"}", "{\\\"a\\\":\\\"\\\\u\\\"}", "{\\\"a\\\":\\\"\\\\u12G4\\\"}",
				"{\\\"a\\\":\\\"\\\\u00e\\", "{\\\"a\\\":\\\"\\u12\\\"}", "{\\\"a\\\":\\\"\\u004\\\"}",
				"{\\\"a\\\":\\\"\\uZZZZ\\\"}", "{\\\"a\\\":\\\"\\\\x\\\"}", "{\\\"a\\\":\\\"\\x\\\"}",
				"{\\\"a\\\":\\\"\\\\\\\"}", "{\\\"a\\\":\\\"\\\\\\\\\\\"}", "{\\\"a\\\":\\\"\\\\\\\\\\\\\\\"}",
				// escapes a parser reads but Ruby does not write: slash, newline, unicode escapes around and inside the event
				"{\\n\\\"a\\\":1}", "{\\t\\\"a\\\"\\r:\\n1 }", "{\\\"a\\/b\\\":\\\"\\u00e9\\\\u00E9\\\"}",
				"\\u007b\\\"a\\\":1}", "{\\\"a\\\":\\\"\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\\\"}",
				"{\\\"a\\\":\\u0022x\\u0022}", "{\\\"a\\\":\\\"\\u005c\\u0022\\\"}",
				// lone surrogates, escaped once or twice, and raw
				"{\\\"a\\\":\\\"\\\\ud800\\\"}", "{\\\"a\\\":\\\"\\\\udc00\\\\ud800\\\"}", "{\\\"a\\\":\\\"\\ud800\\\"}",
				"{\\\"a\\\":\\\"\\ud83d\\\\ude00\\\"}", "{\\\"a\\\":\\\"\ud800\\\"}", "{\\\"\udc00\\\":1}",
				"{\\\"a\\\":\\\"\ud83d\ude00\\\"}",
				// raw control characters, quotes inside
				"{\\\"a\\\":\\\"\u0001\\\"}", "{\\\"a\\\":\\\"tab\there\\\"}", "{\n\\\"a\\\":1}", "{\\\"a\\\":1}\u0000",
				"{\\\"a\\\":\\\"\u007f\\\"}", "{\"a\":1}", "{\\\"a\\\":\\\"x\"y\\\"}", "{\\\"a\\\":\"1\"}",
				// numbers and literals
				"{\\\"a\\\":01}", "{\\\"a\\\":-}", "{\\\"a\\\":1.}", "{\\\"a\\\":1e}", "{\\\"a\\\":+1}", "{\\\"a\\\":-0}",
				"{\\\"a\\\":tru}", "{\\\"a\\\":truex}", "{\\\"a\\\":nul}", "{\\\"a\\\":NaN}", "{\\\"a\\\":true",
				"{\\\"a\\\":1" + "0".repeat(120) + "}", "{\\\"a\\\":1." + "5".repeat(120) + "}",
				"{\\\"a\\\":123456789012345678901234567890,\\\"b\\\":-9223372036854775809,\\\"c\\\":1.0e+20}",
				// duplicate keys, bus keys spelled with escapes or nearly
				"{\\\"a\\\":1,\\\"a\\\":2}", "{\\\"bus_id\\\":1,\\\"bus\\\\u005fid\\\":2}",
				"{\\\"bus_i\\\":1,\\\"bus_idx\\\":2,\\\"Bus_id\\\":3,\\\"bus_id\\\":4,\\\"b\\\":5,\\\"\\\":6}"));
		for (int depth : new int[] { 98, 99, 100, 101, 5000 }) {
			events.add("{\\\"a\\\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
			events.add("{\\\"a\\\":".repeat(depth) + "1" + "}".repeat(depth));
		}
		String big = "x".repeat(5 * 1024 * 1024);
		events.add("{\\\"a\\\":\\\"" + big + "\\\"}");
		events.add("{\\\"a\\\":\\\"" + big.substring(0, EventJsonReader.MAX_LENGTH - 12) + "\\\"}");
		events.add("{\\\"a\\\":\\\"" + big.substring(0, EventJsonReader.MAX_LENGTH - 11) + "\\\"}");
		events.add("{\\\"a\\\":\\\"" + "\\\\\\\"".repeat(EventJsonReader.MAX_LENGTH / 3) + "\\\"}");
		List<String> jobs = new ArrayList<>();
		for (String event : events) {
			jobs.add(START + event + END);
		}
		jobs.addAll(List.of("", "{}", START, START + "\"", START + END.substring(1), START + "{}" + END + " ",
				" " + START + "{}" + END, START + "{}\",\"{}" + END, "{\"class\":\"::QueueBus::Worker\",\"args\":[\"{}\"]}",
				"{\"class\":\"QueueBus::Worker\",\"args\":[\"{}\"],\"queue\":\"q\"}",
				"{\"class\":\"::QueueBus::Heartbeat\",\"args\":[]}", "{\"class\":\"QueueBus::Worker\",\"args\":[{}]}",
				"{\"class\":\"QueueBus::Worker\",\"args\":[1]}", "{\"class\":\"\",\"args\":[\"{}\"]}"));
		int onePass = 0;
		int refused = 0;
		for (String job : jobs) {
			onePass += assertSameDecoding(job) ? 1 : 0;
			refused += (catchThrowable(() -> this.codec.parseJob(job)) != null) ? 1 : 0;
		}
		assertThat(onePass).isGreaterThan(10);
		assertThat(refused).isGreaterThan(40);
	}

	@Test
	void readsAJobInOnePassOnlyWhereTheDefaultMapperReadsEvents() {
		WireCodec custom = new WireCodec(WireCodec.defaultMapperBuilder()
			.enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.build());
		String job = this.codec.job(Map.of("f", 1.5));
		assertThat(custom.parseJob(job).event().get("f")).isEqualTo(new java.math.BigDecimal("1.5"));
		assertThat(custom.parseJob(job).eventJson()).isEqualTo("{\"f\":1.5}");
		assertThat(custom.parseBusJobInOnePass(job)).isNull();
		assertThat(this.codec.parseBusJobInOnePass(job)).isNotNull();
	}

	@Test
	void hashesTheEventStringOfAJobWithoutMakingItAsStringGetBytesEncodesIt() throws Exception {
		Random random = new Random(11L);
		char[] alphabet = { 'a', 'Z', '0', ' ', '"', '\\', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff', '\ud83d',
				'\ude00', '\udbff', '\udfff', '\u0000', '\u007f', '\u0080' };
		MessageDigest digest = MessageDigest.getInstance("SHA-1");
		for (int i = 0; i < 4000; i++) {
			// Lengths around the 4,096 bytes hashed at a time, and lone and split surrogates among pairs.
			int length = (i % 10 == 0) ? 1360 + random.nextInt(20) : random.nextInt(60);
			StringBuilder escaped = new StringBuilder("[\"");
			for (int k = 0; k < length; k++) {
				char c = alphabet[random.nextInt(alphabet.length)];
				escaped.append((c == '"' || c == '\\' || random.nextInt(8) == 0) ? "\\" : "").append(c);
			}
			String text = escaped.append("\"]").toString();
			int end = text.length() - 2;
			String unescaped = EventJsonReader.unescape(text, 2, end);
			digest.reset();
			EventJsonReader.digestUnescaped(text, 2, end, digest);
			assertThat(HexFormat.of().formatHex(digest.digest())).as(text)
				.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
					.digest(unescaped.getBytes(StandardCharsets.UTF_8))));
		}
	}

	@Test
	void hashesTheEventOfAJobReadInOnePassOverManyBufferfulsAsItsEventString() {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("bus_event_type", "large");
		// About 27,500 bytes of UTF-8, still within what is read in one pass.
		event.put("text", "\u20ac\"\\\ud83d\ude00".repeat(2500));
		String job = this.codec.riderJob(event, 1718000000L, "app",
				new SubscriptionEntry("app_default", "Handler.on", JobClasses.RIDER, Map.of()));
		assertThat(readsInOnePass(job)).isTrue();
		BusJob read = this.codec.parseJob(job);
		String counter = this.keys.retryCounter(read);
		assertThat(counter).isEqualTo(retryCounterAsBefore(WireCodec.busEventString(job)));
	}

	/** Whether the job's event string is read in one pass. */
	private static boolean readsInOnePass(String job) {
		return job.length() >= START.length() + END.length() && job.startsWith(START) && job.endsWith(END)
				&& EventJsonReader.readEscapedObject(job, START.length(), job.length() - END.length()) != null;
	}

	/**
	 * Asserts that the codec decodes the job as the two-step decoding does, and where it reads it in
	 * one pass, that the two-step reading also reads it in its own pass, to the same event.
	 * @return whether the job was read in one pass
	 */
	private boolean assertSameDecoding(String job) {
		String description = (job.length() > 200) ? job.substring(0, 200) + "…" : job;
		Object now = decode(this.codec, job, true);
		Object before = decode(this.codec, job, false);
		if (before instanceof Throwable expected) {
			assertThat(now).as(description).isInstanceOf(Throwable.class);
			assertThat(now.getClass()).as(description).isEqualTo(expected.getClass());
			assertThat(((Throwable) now).getMessage()).as(description).isEqualTo(expected.getMessage());
		}
		else {
			BusJob expected = (BusJob) before;
			assertThat(now).as(description).isInstanceOf(BusJob.class);
			BusJob actual = (BusJob) now;
			// Hashed first, before anything makes the job's event string.
			String counterHashedFromTheJob = this.keys.retryCounter(actual);
			byte[] bytes = job.getBytes(StandardCharsets.UTF_8);
			boolean ascii = bytes.length == job.length();
			String counterHashedFromItsBytes = this.keys.retryCounter(actual, ascii ? bytes : null);
			this.asciiJobsHashedFromTheirBytes += (ascii && readsInOnePass(job)) ? 1 : 0;
			assertThat(actual.raw()).isSameAs(job);
			assertThat(actual.className()).as(description).isEqualTo(expected.className());
			SameValues.assertSameValue(actual.event(), expected.event(), description);
			assertThat(actual.eventJson()).as(description).isEqualTo(expected.eventJson());
			assertThat(actual).as(description).isEqualTo(expected).hasSameHashCodeAs(expected);
			String eventJson = expected.eventJson();
			if (eventJson != null) {
				assertThat(this.keys.retryCounter(actual.eventJson())).as(description)
					.isEqualTo(retryCounterAsBefore(eventJson));
				assertThat(counterHashedFromTheJob).as(description).isEqualTo(retryCounterAsBefore(eventJson));
				assertThat(counterHashedFromItsBytes).as(description).isEqualTo(retryCounterAsBefore(eventJson));
			}
			else {
				assertThat(counterHashedFromTheJob).as(description).isNull();
				assertThat(counterHashedFromItsBytes).as(description).isNull();
			}
		}
		if (!readsInOnePass(job)) {
			assertThat(this.codec.parseBusJobInOnePass(job)).as(description).isNull();
			return false;
		}
		assertThat(this.codec.parseBusJobInOnePass(job)).as(description).isEqualTo(before);
		// So a worker with plain-job handlers need not decode it as a plain job first: it is none.
		assertThat(this.codec.parsePlainJob(job).className()).as(description).isEqualTo(JobClasses.WORKER);
		String eventJson = WireCodec.busEventString(job);
		assertThat(eventJson).as(description).isNotNull();
		Map<String, Object> twoStep = EventJsonReader.readObject(eventJson);
		assertThat(twoStep).as(description).isNotNull();
		SameValues.assertSameValue(EventJsonReader.readEscapedObject(job, START.length(), job.length() - END.length()), twoStep,
				description);
		assertThat(EventJsonReader.unescape(job, START.length(), job.length() - END.length())).isEqualTo(eventJson);
		return true;
	}

	private static Object decode(WireCodec codec, String job, boolean onePass) {
		try {
			return onePass ? codec.parseJob(job) : codec.parseJobInFull(job);
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private static String retryCounterAsBefore(String eventJson) {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			return "resque:resque-retry:QueueBus::Worker:"
					+ HexFormat.of().formatHex(sha1.digest(eventJson.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}


	private static void collectStrings(@Nullable Object value, List<String> into) {
		if (value instanceof String text) {
			into.add(text);
		}
		else if (value instanceof Map<?, ?> map) {
			map.forEach((key, item) -> {
				collectStrings(key, into);
				collectStrings(item, into);
			});
		}
		else if (value instanceof List<?> list) {
			list.forEach((item) -> collectStrings(item, into));
		}
	}

	/** The job with some characters of its event string spelled as other escapes a parser reads the same. */
	private static String respell(String job, Random random) {
		int start = START.length();
		int end = job.length() - END.length();
		StringBuilder out = new StringBuilder(job.length() + 32).append(job, 0, start);
		for (int i = start; i < end; i++) {
			char c = job.charAt(i);
			int roll = random.nextInt(40);
			if (c == '\\') {
				out.append(c).append(job.charAt(++i)); // an escape stays as it is
			}
			else if (roll == 0) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else if (roll == 1 && (c == ',' || c == ':' || c == '{' || c == '[')) {
				out.append(c).append(List.of(" ", "\\n", "\\t", "\\r", "\\u0020").get(random.nextInt(5)));
			}
			else if (roll == 2 && c == '/') {
				out.append("\\/");
			}
			else {
				out.append(c);
			}
		}
		return out.append(job, end, job.length()).toString();
	}

	private static final List<String> KEYS = List.of(BusAttributes.PUBLISHED_AT, BusAttributes.EVENT_TYPE,
			BusAttributes.ID, BusAttributes.APP_HOSTNAME, BusAttributes.CONTEXT, BusAttributes.LOCALE,
			BusAttributes.TIMEZONE, BusAttributes.DELAYED_UNTIL, BusAttributes.DRIVEN_AT, BusAttributes.RIDER_QUEUE,
			BusAttributes.RIDER_APP_KEY, BusAttributes.RIDER_SUB_KEY, BusAttributes.RIDER_CLASS_NAME,
			BusAttributes.EXECUTED_AT, BusAttributes.SYNC_DELIVERED, BusAttributes.TRACE, "bus_", "bus_i", "bus_idx",
			"Bus_id", "bus_event_typ", "bus_class_proxyy", "b", "", "id", "user_id", "name");

	private static final List<String> PIECES = List.of("a", "Z", "0", " ", "\"", "\\", "/", "\\u0041", "\\\"",
			"\n", "\r", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f", "\u007f", "é", "ü", "漢", "\u2028", "\ufeff",
			"\ud83d\ude00", "\ud800", "\udc00", "{", "}", "[", "]", ",", ":", "true", "null", "-1.5e3", "bus_");

	static Map<String, Object> randomEvent(Random random) {
		Map<String, Object> event = randomMap(random, 0);
		if (random.nextBoolean()) {
			event.put(BusAttributes.CLASS_PROXY, random.nextBoolean() ? JobClasses.DRIVER : JobClasses.RIDER);
		}
		return event;
	}

	private static Map<String, Object> randomMap(Random random, int depth) {
		Map<String, Object> map = new LinkedHashMap<>();
		int size = random.nextInt((depth == 0) ? 24 : 5);
		for (int i = 0; i < size; i++) {
			String key = random.nextBoolean() ? KEYS.get(random.nextInt(KEYS.size())) : randomString(random);
			map.put(key, randomValue(random, depth + 1));
		}
		return map;
	}

	private static @Nullable Object randomValue(Random random, int depth) {
		int kind = random.nextInt((depth < 4) ? 12 : 10);
		return switch (kind) {
			case 0 -> null;
			case 1 -> random.nextBoolean();
			case 2 -> random.nextInt(5) == 0 ? List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0).get(random.nextInt(3))
					: random.nextInt();
			case 3 -> random.nextInt(5) == 0 ? List.of(Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MAX_VALUE + 1)
				.get(random.nextInt(3)) : random.nextLong();
			case 4 -> new BigInteger(64 + random.nextInt(100), random).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
			case 5 -> randomDouble(random);
			case 6, 7, 8 -> randomString(random);
			case 9 -> "";
			case 10 -> {
				List<@Nullable Object> list = new ArrayList<>();
				int size = random.nextInt(5);
				for (int i = 0; i < size; i++) {
					list.add(randomValue(random, depth + 1));
				}
				yield list;
			}
			default -> randomMap(random, depth);
		};
	}

	private static double randomDouble(Random random) {
		switch (random.nextInt(4)) {
			case 0:
				return List.of(0.0, -0.0, 1.0e20, 1.5e-7, 4.9e-324, Double.MAX_VALUE, 0.1, 100.0, 1.0e15, 1.0e16)
					.get(random.nextInt(10));
			case 1:
				return random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
			default:
				double d = Double.longBitsToDouble(random.nextLong());
				return Double.isFinite(d) ? d : 1.25;
		}
	}

	private static String randomString(Random random) {
		StringBuilder out = new StringBuilder();
		int pieces = random.nextInt(8);
		for (int i = 0; i < pieces; i++) {
			out.append(PIECES.get(random.nextInt(PIECES.size())));
		}
		return out.toString();
	}

	/** The event as the default mapper reads the JSON Ruby's generator writes. */
	private static final class RubyJsonRoundTrip {

		private static final tools.jackson.databind.json.JsonMapper MAPPER = WireCodec.defaultMapper();

		static Object read(String json) {
			return MAPPER.readValue(json, Object.class);
		}

	}

}
