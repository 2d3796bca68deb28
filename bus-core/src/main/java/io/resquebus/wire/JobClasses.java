package io.resquebus.wire;

import org.jspecify.annotations.Nullable;

/**
 * Ruby class names that appear in jobs and subscriptions (spec section 3).
 */
public final class JobClasses {

	/** The Resque job class of every bus job. */
	public static final String WORKER = "QueueBus::Worker";

	/** Proxy of a job on the incoming queue that still has to be fanned out. */
	public static final String DRIVER = "QueueBus::Driver";

	/** Proxy of a delayed event that is due and has to be published again. */
	public static final String PUBLISHER = "QueueBus::Publisher";

	/** Proxy of the once-a-minute heartbeat job. */
	public static final String HEARTBEAT = "::QueueBus::Heartbeat";

	/** Class of subscriptions dispatched by app key and sub key; what Java subscriptions use. */
	public static final String RIDER = "::QueueBus::Rider";

	private JobClasses() {
	}

	/** Whether two class names are the same, ignoring one leading {@code ::} on either side. */
	public static boolean same(@Nullable String a, String b) {
		if (a == null) {
			return false;
		}
		int fromA = a.startsWith("::") ? 2 : 0;
		int fromB = b.startsWith("::") ? 2 : 0;
		int length = a.length() - fromA;
		return length == b.length() - fromB && a.regionMatches(fromA, b, fromB, length);
	}

}
