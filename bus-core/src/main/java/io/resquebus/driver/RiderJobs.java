package io.resquebus.driver;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.resquebus.wire.BusJob;
import io.resquebus.wire.Events;
import io.resquebus.wire.RiderMembers;
import io.resquebus.wire.RubyJson;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;

/**
 * The rider jobs of one event, byte for byte {@code codec.job(Events.rider(event, ...))} for each
 * matching subscription. Usually the codec splices each from the incoming job's text
 * ({@link WireCodec#splicesRiderJobs}). Otherwise the event is serialized once however many
 * subscriptions match: the
 * rider is written once with marker strings for the app key, queue, sub key and class, and each
 * job is that text with the markers replaced by the subscription's values, escaped twice (they sit
 * in a JSON string in a JSON string). Where a marker would be ambiguous (the event holds its text,
 * or one of the rider attributes itself, which then wins), each job is written in full instead.
 */
final class RiderJobs {

	static final String MARK = "RiderMark" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);

	private static final String APP = MARK + "a";

	private static final String QUEUE = MARK + "q";

	private static final String KEY = MARK + "k";

	private static final String CLASS = MARK + "c";

	private final WireCodec codec;

	private final BusJob job;

	private final long now;

	/** The job with markers, or null when each job is written in full. */
	private final @Nullable String template;

	private RiderJobs(WireCodec codec, BusJob job, long now, @Nullable String template) {
		this.codec = codec;
		this.job = job;
		this.now = now;
		this.template = template;
	}

	/**
	 * @param matches how many jobs will be made; with one, no template is worth making
	 */
	static RiderJobs of(WireCodec codec, BusJob job, long now, int matches) {
		if (matches < 2 || codec.splicesRiderJobs(job)) {
			return new RiderJobs(codec, job, now, null);
		}
		Map<String, Object> event = job.event();
		Map<String, Object> rider = Events.rider(event, now, APP, new SubscriptionEntry(QUEUE, KEY, CLASS, Map.of()));
		String template = codec.job(rider);
		// Each marker must stand exactly where the rider holds it: count both.
		boolean exact = occurrences(template, MARK) == count(rider, APP) + count(rider, QUEUE) + count(rider, KEY)
				+ count(rider, CLASS) && count(rider, APP) == 1 && count(rider, QUEUE) == 1 && count(rider, KEY) == 1
				&& count(rider, CLASS) == 2;
		return new RiderJobs(codec, job, now, exact ? template : null);
	}

	/** Whether the jobs are made from one serialization of the event. */
	boolean templated() {
		return this.template != null;
	}

	/** The job for one subscription of one app. */
	String job(RiderMembers rider) {
		String template = this.template;
		if (template == null) {
			return this.codec.riderJob(this.job, this.now, rider);
		}
		String appKey = rider.appKey();
		SubscriptionEntry subscription = rider.subscription();
		StringBuilder out = new StringBuilder(template.length() + 64);
		int from = 0;
		int at;
		while ((at = template.indexOf(MARK, from)) >= 0) {
			out.append(template, from, at);
			char which = template.charAt(at + MARK.length());
			String value = switch (which) {
				case 'a' -> appKey;
				case 'q' -> subscription.queueName();
				case 'k' -> subscription.key();
				default -> subscription.className();
			};
			appendTwiceEscaped(value, out);
			from = at + MARK.length() + 1;
		}
		return out.append(template, from, template.length()).toString();
	}

	/** The value as it appears inside a JSON string inside a JSON string, without the quotes. */
	private static void appendTwiceEscaped(String value, StringBuilder out) {
		if (isPlain(value)) {
			out.append(value);
			return;
		}
		String once = RubyJson.write(value);
		String twice = RubyJson.write(once.substring(1, once.length() - 1));
		out.append(twice, 1, twice.length() - 1);
	}

	/** Whether JSON writes the value as it is (nothing escaped), the usual case for keys and queues. */
	private static boolean isPlain(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

	private static int count(Map<String, Object> rider, String marker) {
		int n = 0;
		for (Object value : rider.values()) {
			if (marker.equals(value)) {
				n++;
			}
		}
		return n;
	}

	private static int occurrences(String text, String marker) {
		int n = 0;
		int at = text.indexOf(marker);
		while (at >= 0) {
			n++;
			at = text.indexOf(marker, at + marker.length());
		}
		return n;
	}

}
