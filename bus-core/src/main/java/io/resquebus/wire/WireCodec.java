package io.resquebus.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes every JSON document of the wire format: jobs, events, subscriptions, failure
 * entries. Reading goes through the bus's own Jackson mapper (never the application's), writing
 * through {@link RubyJson} so the bytes equal what Ruby writes.
 */
public final class WireCodec {

	private static final Logger logger = LoggerFactory.getLogger(WireCodec.class);

	private final JsonMapper mapper;

	/** Whether the mapper is the default one, so that {@link EventJsonReader} reads events as it would. */
	private final boolean defaultReading;

	/** A codec reading with {@code mapper}, e.g. {@link #defaultMapperBuilder()} customized. */
	public WireCodec(JsonMapper mapper) {
		this(mapper, false);
	}

	/** A codec reading with {@link #defaultMapper()}. */
	public WireCodec() {
		this(defaultMapper(), true);
	}

	private WireCodec(JsonMapper mapper, boolean defaultReading) {
		this.mapper = mapper;
		this.defaultReading = defaultReading;
	}

	/**
	 * The mapper the bus reads the wire with unless told otherwise: numbers keep their JSON type
	 * (integers of any size, floats as doubles), nothing depends on {@code spring.jackson.*}. When
	 * it binds attributes to a handler's record or POJO, an attribute the type does not declare is
	 * ignored and a missing or {@code null} one leaves a primitive at its default (Ruby apps often
	 * omit attributes).
	 */
	public static JsonMapper defaultMapper() {
		return defaultMapperBuilder().build();
	}

	/** The builder of {@link #defaultMapper()}, for customizing before building. */
	public static JsonMapper.Builder defaultMapperBuilder() {
		return JsonMapper.builder()
			.disable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.disable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	public JsonMapper mapper() {
		return this.mapper;
	}

	/** The event as the compact JSON string a job carries in {@code args}. */
	public String eventJson(Map<String, ?> event) {
		return RubyJson.write(event);
	}

	/** What every {@code QueueBus::Worker} job starts with, up to the opening quote of its event string. */
	private static final String JOB_START = "{\"class\":\"" + JobClasses.WORKER + "\",\"args\":[\"";

	static final String JOB_END = "\"]}";

	/** What every spliced rider job starts with, up to the value of {@code bus_driven_at}. */
	private static final String RIDER_JOB_START = riderJobStart();

	private static String riderJobStart() {
		StringBuilder out = new StringBuilder(JOB_START).append('{');
		RubyJson.appendNestedEntry(BusAttributes.DRIVEN_AT, 0L, true, out, 1);
		return out.substring(0, out.length() - 1); // without the 0
	}

	/** How a spliceable job holds its {@code bus_class_proxy} member, up to the value. */
	private static final String PROXY_MEMBER = proxyMember();

	private static String proxyMember() {
		StringBuilder out = new StringBuilder();
		RubyJson.appendNestedEntry(BusAttributes.CLASS_PROXY, 0L, false, out, 1);
		return out.substring(0, out.length() - 1); // without the 0
	}

	/** Whether {@code raw} is a {@code QueueBus::Worker} job whose event's proxy member starts at {@code at}. */
	static boolean isProxyMember(String raw, int at) {
		return at > JOB_START.length() && raw.startsWith(JOB_START) && raw.startsWith(PROXY_MEMBER, at);
	}


	/**
	 * A {@code QueueBus::Worker} job carrying the event: {@code {"class":...,"args":["<event json>"]}}.
	 * The event is written once, straight into its string (escaped twice where it needs escaping).
	 */
	public String job(Map<String, ?> event) {
		StringBuilder out = new StringBuilder(256);
		out.append(JOB_START);
		RubyJson.writeNested(event, out);
		return out.append(JOB_END).toString();
	}

	/**
	 * The job a driver pushes for one subscription: byte for byte
	 * {@code job(Events.rider(event, drivenAt, appKey, subscription))}, written without making the
	 * rider map. The rider attributes come first, an event attribute of the same name keeping its
	 * value in their place; the event's own follow in order, with {@code bus_class_proxy} set to the
	 * subscription's class where the event has it, else last.
	 */
	public String riderJob(Map<String, Object> event, long drivenAt, String appKey, SubscriptionEntry subscription) {
		StringBuilder out = new StringBuilder(320);
		out.append(JOB_START).append('{');
		riderEntry(BusAttributes.DRIVEN_AT, drivenAt, event, true, out);
		riderEntry(BusAttributes.RIDER_QUEUE, subscription.queueName(), event, false, out);
		riderEntry(BusAttributes.RIDER_APP_KEY, appKey, event, false, out);
		riderEntry(BusAttributes.RIDER_SUB_KEY, subscription.key(), event, false, out);
		riderEntry(BusAttributes.RIDER_CLASS_NAME, subscription.className(), event, false, out);
		boolean proxy = false;
		for (Map.Entry<String, Object> entry : event.entrySet()) {
			String key = entry.getKey();
			if (isRiderKey(key)) {
				continue;
			}
			Object value = entry.getValue();
			if (BusAttributes.CLASS_PROXY.equals(key)) {
				value = subscription.className();
				proxy = true;
			}
			RubyJson.appendNestedEntry(key, value, false, out, 1);
		}
		if (!proxy) {
			RubyJson.appendNestedEntry(BusAttributes.CLASS_PROXY, subscription.className(), false, out, 1);
		}
		return out.append('}').append(JOB_END).toString();
	}

	private static void riderEntry(String key, Object riderValue, Map<String, Object> event, boolean first,
			StringBuilder out) {
		Object value = event.containsKey(key) ? event.get(key) : riderValue;
		RubyJson.appendNestedEntry(key, value, first, out, 1);
	}

	/**
	 * The job a driver pushes for one subscription, as {@link #riderJob(Map, long, String, SubscriptionEntry)}
	 * writes it for the job's event. When the job is exactly as the bus and Ruby write it, with
	 * {@code bus_class_proxy} last and no rider attribute (the usual case, see
	 * {@link BusJob#proxyAt()}), the event is not written again: its members are copied from the
	 * job's text, which holds them escaped as the rider job does.
	 */
	public String riderJob(BusJob job, long drivenAt, String appKey, SubscriptionEntry subscription) {
		if (job.proxyAt() < 0) {
			return riderJob(job.event(), drivenAt, appKey, subscription);
		}
		return riderJob(job, drivenAt, RiderMembers.of(appKey, subscription));
	}

	/** As {@link #riderJob(BusJob, long, String, SubscriptionEntry)}, with the subscription's members written once. */
	public String riderJob(BusJob job, long drivenAt, RiderMembers rider) {
		int proxyAt = job.proxyAt();
		if (proxyAt < 0) {
			return riderJob(job.event(), drivenAt, rider.appKey(), rider.subscription());
		}
		String raw = job.raw();
		int from = JOB_START.length() + 1; // after the event's '{'
		StringBuilder out = new StringBuilder(RIDER_JOB_START.length() + 20 + rider.head.length() + (proxyAt - from)
				+ rider.tail.length());
		out.append(RIDER_JOB_START).append(drivenAt).append(rider.head);
		// The event's members up to the comma before bus_class_proxy, escaped as the rider job holds them.
		out.append(raw, from, proxyAt);
		return out.append(rider.tail).toString();
	}

	/** Whether {@link #riderJob(BusJob, long, String, SubscriptionEntry)} copies the job's event text. */
	public boolean splicesRiderJobs(BusJob job) {
		return job.proxyAt() >= 0;
	}

	static boolean isRiderKey(String key) {
		if (key.startsWith("bus_rider_")) {
			return key.equals(BusAttributes.RIDER_QUEUE) || key.equals(BusAttributes.RIDER_APP_KEY)
					|| key.equals(BusAttributes.RIDER_SUB_KEY) || key.equals(BusAttributes.RIDER_CLASS_NAME);
		}
		return key.equals(BusAttributes.DRIVEN_AT);
	}

	/** A resque-scheduler delayed item: the job plus the queue it goes to when due (spec 8.1). */
	public String delayedItem(Map<String, ?> event, String queueName) {
		String job = job(event);
		StringBuilder out = new StringBuilder(job.length() + queueName.length() + 12);
		out.append(job, 0, job.length() - 1).append(",\"queue\":");
		RubyJson.write(queueName, out);
		return out.append('}').toString();
	}

	/**
	 * The resque-scheduler item that brings a job back to {@code queueName} when due (a retry,
	 * spec 9): the job's own bytes with {@code "queue"} appended, so the job the scheduler pushes
	 * back carries the same {@code class} and {@code args} bytes. A job that is not a plain
	 * {@code {"class":…,"args":…}} object is written anew from its decoded class and args.
	 * @throws MalformedJobException when the job is not a JSON object
	 */
	public String retryItem(String rawJob, String queueName) {
		Map<String, Object> job;
		try {
			job = readObject(rawJob);
		}
		catch (JacksonException ex) {
			throw new MalformedJobException("Job is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		String trimmed = rawJob.strip();
		StringBuilder out = new StringBuilder(trimmed.length() + queueName.length() + 12);
		if (job.keySet().equals(Set.of("class", "args")) && trimmed.startsWith("{\"class\":")
				&& trimmed.endsWith("}")) {
			out.append(trimmed, 0, trimmed.length() - 1);
		}
		else {
			Map<String, Object> copy = new LinkedHashMap<>();
			copy.put("class", job.get("class"));
			copy.put("args", job.get("args"));
			String written = RubyJson.write(copy);
			out.append(written, 0, written.length() - 1);
		}
		out.append(",\"queue\":");
		RubyJson.write(queueName, out);
		return out.append('}').toString();
	}

	/**
	 * The job a due delayed item becomes (spec 8.3), as resque-scheduler enqueues it: the item's
	 * {@code class} (a leading {@code ::} kept) and {@code args} written back in that order, with
	 * {@code args} wrapped in an array when it is not one ({@code Array(args)}, a missing one
	 * becomes {@code []}). For any item Ruby wrote the job's values carry the item's bytes.
	 * @throws MalformedJobException when the item is not JSON, or has no class or no queue
	 */
	public DueJob dueJob(String item) {
		Map<String, Object> map;
		try {
			map = readObject(item);
		}
		catch (JacksonException ex) {
			throw new MalformedJobException("Delayed item is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (!(map.get("class") instanceof String className) || className.isEmpty()) {
			throw new MalformedJobException("Delayed item has no \"class\" string, so no job can be made of it");
		}
		if (!(map.get("queue") instanceof String queue) || queue.isEmpty()) {
			throw new MalformedJobException("Delayed item has no \"queue\": resque-scheduler would derive it from "
					+ "the class " + className + ", which the Java scheduler cannot do, so it is kept here instead");
		}
		Object args = map.get("args");
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("class", className);
		job.put("args", (args instanceof List<?>) ? args : (args != null) ? List.of(args) : List.of());
		return new DueJob(queue, RubyJson.write(job));
	}

	/**
	 * A plain Resque job as {@code Resque.push} writes it: {@code {"class":"<class>","args":[...]}},
	 * compact, {@code class} first, the args in Ruby's JSON (golden notes 1). Records and POJOs
	 * among the args are written as JSON objects through the bus's mapper.
	 * @throws IllegalArgumentException when the class is empty or an argument is not a value Ruby
	 * can read back (NaN, Infinity, a lone surrogate, a JDK type that is not a JSON value), before
	 * anything is written
	 */
	public String plainJob(String className, List<?> args) {
		return plainJob(className, args, null);
	}

	/**
	 * A resque-scheduler delayed item of a plain job: the job with {@code "queue"} last, as
	 * {@code Resque.enqueue_at} writes it.
	 */
	public String plainDelayedItem(String className, List<?> args, String queueName) {
		return plainJob(className, args, queueName);
	}

	private String plainJob(String className, List<?> args, @Nullable String queueName) {
		if (className.isEmpty()) {
			throw new IllegalArgumentException("Jobs must be given a class (Resque::NoClassError)");
		}
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("class", className);
		job.put("args", args.stream().map(this::argument).toList());
		if (queueName != null) {
			job.put("queue", queueName);
		}
		String json = RubyJson.write(job);
		requireValidUtf16(json);
		return json;
	}

	/** A JSON value as is; a record or POJO as the object the bus's mapper makes of it. */
	private @Nullable Object argument(@Nullable Object arg) {
		if (arg == null || arg instanceof String || arg instanceof Number || arg instanceof Boolean
				|| arg instanceof Character || arg instanceof Map<?, ?> || arg instanceof Iterable<?>
				|| arg instanceof Object[] || arg instanceof RawJson) {
			if (arg instanceof Map<?, ?> map) {
				Map<Object, Object> copy = new LinkedHashMap<>();
				map.forEach((key, value) -> copy.put(key, argument(value)));
				return copy;
			}
			if (arg instanceof Iterable<?> items) {
				List<Object> copy = new java.util.ArrayList<>();
				items.forEach((item) -> copy.add(argument(item)));
				return copy;
			}
			if (arg instanceof Object[] items) {
				return argument(java.util.Arrays.asList(items));
			}
			return arg;
		}
		String type = arg.getClass().getName();
		if (arg.getClass().isArray() || arg.getClass().isEnum() || type.startsWith("java.")
				|| type.startsWith("javax.") || type.startsWith("jdk.")) {
			throw new IllegalArgumentException("Cannot enqueue a " + arg.getClass().getTypeName()
					+ " as a job argument: Ruby reads JSON values only (string, number, boolean, list, map, null; "
					+ "records and POJOs become JSON objects); convert it first");
		}
		return this.mapper.convertValue(arg, Object.class);
	}

	/** Ruby's generator refuses invalid UTF-8, which is what a lone surrogate becomes. */
	private static void requireValidUtf16(String json) {
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new IllegalArgumentException("Cannot enqueue a string with a lone surrogate (U+"
						+ Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
						+ "): it is invalid UTF-8, which Ruby's JSON generator refuses");
			}
		}
	}

	/**
	 * Decodes a plain Resque job: a JSON object with a non-empty {@code class} string and an
	 * {@code args} array (a missing {@code args} is {@code []}, as Resque reads it).
	 * @throws MalformedJobException with a reason fit for the failed list
	 */
	public PlainJob parsePlainJob(String raw) {
		String eventJson = busEventString(raw);
		if (eventJson != null) {
			return new PlainJob(raw, JobClasses.WORKER, List.of(eventJson));
		}
		Map<String, Object> job = readJob(raw);
		String className = className(job);
		Object args = job.get("args");
		if (args != null && !(args instanceof List<?>)) {
			throw new MalformedJobException("Job \"args\" is not an array: " + describe(args));
		}
		@SuppressWarnings("unchecked")
		List<@Nullable Object> list = (args != null) ? (List<@Nullable Object>) args : List.of();
		return new PlainJob(raw, className, list);
	}

	/** Decodes a JSON object, keeping key order and number types. */
	public Map<String, Object> readObject(String json) {
		Object value = this.mapper.readValue(json, Object.class);
		if (!(value instanceof Map<?, ?>)) {
			throw new MalformedJobException("Expected a JSON object but got " + describe(value));
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> map = (Map<String, Object>) value;
		return map;
	}

	/**
	 * Decodes a job popped from a queue.
	 * @throws MalformedJobException with a reason fit for the failed list
	 */
	public BusJob parseJob(String raw) {
		BusJob job = parseBusJobInOnePass(raw, true);
		return (job != null) ? job : parseJobInFull(raw);
	}

	/**
	 * {@link #parseJob(String)} of a job exactly as the bus and Ruby write one,
	 * {@code {"class":"QueueBus::Worker","args":["<event json>"]}}, read in one pass: the event
	 * where the job carries it, its string made only if asked for. {@code null} for any other job
	 * (which {@link #parseJob(String)} decodes in full) and with a mapper of one's own. A job read
	 * here is no plain Resque job: {@link #parsePlainJob} gives its class as {@code QueueBus::Worker}.
	 */
	public @Nullable BusJob parseBusJobInOnePass(String raw) {
		return parseBusJobInOnePass(raw, false);
	}

	/**
	 * @param splice whether to find out where the job's text can be spliced into rider jobs
	 * ({@link BusJob#proxyAt()}); the driver's {@link #parseJob(String)} does, a worker need not
	 */
	private @Nullable BusJob parseBusJobInOnePass(String raw, boolean splice) {
		if (!this.defaultReading || !isBusJobEnvelope(raw)) {
			return null;
		}
		int start = JOB_START.length();
		int end = raw.length() - JOB_END.length();
		EventJsonReader.Read read = EventJsonReader.readEscaped(raw, start, end, splice);
		// Its escapes are the two Ruby writes there, so the text is as written wherever the event is.
		return (read != null) ? new BusJob(raw, JobClasses.WORKER, read.event(), start, end, read.proxyAt()) : null;
	}

	/**
	 * {@link #parseJob(String)} without reading the event in the job's text: the event string
	 * decoded, then read. What the one-pass reading declines comes here; none of it is spliced
	 * (its escapes, or its size, are not what the bus writes).
	 */
	BusJob parseJobInFull(String raw) {
		String fastEventJson = busEventString(raw);
		if (fastEventJson != null) {
			return busJob(raw, JobClasses.WORKER, fastEventJson);
		}
		Map<String, Object> job = readJob(raw);
		String className = className(job);
		if (!(job.get("args") instanceof List<?> args)) {
			throw new MalformedJobException("Job has no \"args\" array");
		}
		if (args.isEmpty() && JobClasses.same(className, JobClasses.HEARTBEAT)) {
			Map<String, Object> event = new LinkedHashMap<>();
			event.put(BusAttributes.CLASS_PROXY, JobClasses.HEARTBEAT);
			return new BusJob(raw, className, event);
		}
		if (args.size() != 1 || !(args.get(0) instanceof String eventJson)) {
			throw new MalformedJobException("Job \"args\" must hold exactly one JSON string (the event), got "
					+ describe(args));
		}
		return busJob(raw, className, eventJson);
	}

	/**
	 * As {@link #parseJob(String)}, from the job already decoded by {@link #parsePlainJob}, so a
	 * worker that looked for a plain Resque job does not decode the whole job again.
	 * @throws MalformedJobException with a reason fit for the failed list
	 */
	public BusJob parseJob(PlainJob job) {
		List<@Nullable Object> args = job.args();
		if (args.size() != 1 || !(args.get(0) instanceof String eventJson)) {
			return parseJob(job.raw()); // the heartbeat, or the exact reason it is refused
		}
		return busJob(job.raw(), job.className(), eventJson);
	}

	private BusJob busJob(String raw, String className, String eventJson) {
		Map<String, Object> event = this.defaultReading ? EventJsonReader.readObject(eventJson) : null;
		if (event != null) {
			return new BusJob(raw, className, event, eventJson);
		}
		try {
			return new BusJob(raw, className, readObject(eventJson), eventJson);
		}
		catch (JacksonException ex) {
			throw new MalformedJobException("Event in \"args\" is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * The event string of a job written exactly as the bus and Ruby write one,
	 * {@code {"class":"QueueBus::Worker","args":["<event json>"]}}, decoded as a JSON parser
	 * decodes it; {@code null} for any other text (another shape, spacing, a string that is not
	 * valid JSON), which the caller then decodes in full. Decoding the envelope costs a scan.
	 */
	static @Nullable String busEventString(String raw) {
		if (!isBusJobEnvelope(raw)) {
			return null;
		}
		int start = JOB_START.length();
		int end = raw.length() - JOB_END.length();
		// Unescaped in place in a copy of the chars: every escape is longer than what it stands for.
		char[] chars = new char[end - start];
		raw.getChars(start, end, chars, 0);
		int n = chars.length;
		int to = 0;
		for (int i = 0; i < n; i++) {
			char c = chars[i];
			if (c == '"' || c < 0x20) {
				return null;
			}
			if (c != '\\') {
				chars[to++] = c;
				continue;
			}
			if (++i >= n) {
				return null;
			}
			if (chars[i] == 'u') {
				int code = (i + 4 < n) ? EventJsonReader.hex4(raw, start + i + 1) : -1;
				if (code < 0) {
					return null;
				}
				chars[to++] = (char) code;
				i += 4;
				continue;
			}
			int escaped = EventJsonReader.escaped(chars[i]);
			if (escaped < 0) {
				return null;
			}
			chars[to++] = (char) escaped;
		}
		return new String(chars, 0, to);
	}

	/** Whether the job is {@code {"class":"QueueBus::Worker","args":["…"]}} around some event string. */
	private static boolean isBusJobEnvelope(String raw) {
		return raw.length() >= JOB_START.length() + JOB_END.length() && raw.startsWith(JOB_START)
				&& raw.endsWith(JOB_END);
	}

	/** A job's JSON object, with a non-empty {@code class} string; else a reason fit for the failed list. */
	private Map<String, Object> readJob(String raw) {
		Map<String, Object> job;
		try {
			job = readObject(raw);
		}
		catch (JacksonException ex) {
			throw new MalformedJobException("Job is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		return job;
	}

	/** The job's non-empty {@code class} string. */
	private static String className(Map<String, Object> job) {
		if (!(job.get("class") instanceof String className) || className.isEmpty()) {
			throw new MalformedJobException("Job has no \"class\" string");
		}
		return className;
	}

	public String subscription(SubscriptionEntry entry) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("queue_name", entry.queueName());
		json.put("key", entry.key());
		json.put("class", entry.className());
		json.put("matcher", entry.matcher());
		return RubyJson.write(json);
	}

	/**
	 * Decodes one field of an app's hash as the spec says to read it: bad entries are skipped
	 * (logged, {@code null} returned) rather than failing every event.
	 */
	public @Nullable SubscriptionEntry parseSubscription(String appKey, String field, String json) {
		try {
			Map<String, Object> map = readObject(json);
			String queueName = Names.normalize(RubyValues.toS(map.get("queue_name")));
			String key = RubyValues.toS(map.get("key"));
			if (queueName.isEmpty() || key.isEmpty()) {
				logger.warn("Skipping subscription {} of app {}: empty queue_name or key", field, appKey);
				return null;
			}
			if (!(map.get("matcher") instanceof Map<?, ?> rawMatcher) || rawMatcher.isEmpty()) {
				logger.warn("Skipping subscription {} of app {}: matcher missing or not an object", field, appKey);
				return null;
			}
			Map<String, String> matcher = new LinkedHashMap<>();
			rawMatcher.forEach((name, value) -> matcher.put(String.valueOf(name), RubyValues.toS(value)));
			return new SubscriptionEntry(queueName, key, RubyValues.toS(map.get("class")), matcher);
		}
		catch (RuntimeException ex) {
			logger.warn("Skipping subscription {} of app {}: {}", field, appKey, ex.getMessage());
			return null;
		}
	}

	/**
	 * What a Resque worker writes to {@code worker:<id>} while it runs a job (spec section 10), so
	 * resque-web shows what each worker is doing.
	 * @param runAt e.g. {@code 2024-06-10T06:13:21Z}
	 * @param job the job's raw text, embedded as it is: the caller parsed it as a JSON object
	 */
	public String currentJob(String queue, String runAt, String job) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("queue", queue);
		json.put("run_at", runAt);
		json.put("payload", new RawJson(job));
		return RubyJson.write(json);
	}

	public String failure(FailureEntry entry) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("failed_at", entry.failedAt());
		json.put("payload", payload(entry.payload()));
		json.put("exception", entry.exception());
		json.put("error", entry.error());
		json.put("backtrace", entry.backtrace());
		json.put("worker", entry.worker());
		json.put("queue", entry.queue());
		return RubyJson.write(json);
	}

	/**
	 * Decodes an entry of the failed list; tolerant of entries other tools wrote (missing fields
	 * become empty, {@code retried_at} is kept).
	 */
	public FailureEntry parseFailure(String json) {
		Map<String, Object> map = readObject(json);
		Object payload = map.get("payload");
		List<String> backtrace = new java.util.ArrayList<>();
		if (map.get("backtrace") instanceof List<?> lines) {
			lines.forEach((line) -> backtrace.add(RubyValues.toS(line)));
		}
		return new FailureEntry(RubyValues.toS(map.get("failed_at")),
				(payload instanceof String text) ? text : RubyJson.write(payload), RubyValues.toS(map.get("exception")),
				RubyValues.toS(map.get("error")), backtrace, RubyValues.toS(map.get("worker")),
				RubyValues.toS(map.get("queue")));
	}

	/** The entry with {@code retried_at} set, as resque-web's Retry leaves it. */
	public String withRetriedAt(String failureJson, String retriedAt) {
		Map<String, Object> map = readObject(failureJson);
		map.put("retried_at", retriedAt);
		return RubyJson.write(map);
	}

	/** A payload that is a JSON object is embedded as is; anything else is kept as a string so nothing is lost. */
	private Object payload(String raw) {
		try {
			readObject(raw);
			return new RawJson(raw);
		}
		catch (RuntimeException ex) {
			return raw;
		}
	}

	private static String describe(@Nullable Object value) {
		String text = String.valueOf(value);
		return (text.length() > 80) ? text.substring(0, 80) + "..." : text;
	}

}
