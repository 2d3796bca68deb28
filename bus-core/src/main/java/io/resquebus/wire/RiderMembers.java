package io.resquebus.wire;

import org.jspecify.annotations.Nullable;

/**
 * What every rider job of one subscription of one app holds besides the event and
 * {@code bus_driven_at}: the rider attributes and {@code bus_class_proxy}, escaped as the job holds
 * them. Written once per subscription (a {@code Subscription} keeps it), so a rider job spliced from
 * the incoming job ({@link WireCodec#riderJob(BusJob, long, RiderMembers)}) writes none of it.
 */
public final class RiderMembers {

	private final String appKey;

	private final SubscriptionEntry subscription;

	/** From the comma after {@code bus_driven_at}'s value to the comma before the event's members. */
	final String head;

	/** From the comma before {@code bus_class_proxy} to the end of the job. */
	final String tail;

	private RiderMembers(String appKey, SubscriptionEntry subscription, String head, String tail) {
		this.appKey = appKey;
		this.subscription = subscription;
		this.head = head;
		this.tail = tail;
	}

	public static RiderMembers of(String appKey, SubscriptionEntry subscription) {
		StringBuilder head = new StringBuilder(160);
		RubyJson.appendNestedEntry(BusAttributes.RIDER_QUEUE, subscription.queueName(), false, head, 1);
		RubyJson.appendNestedEntry(BusAttributes.RIDER_APP_KEY, appKey, false, head, 1);
		RubyJson.appendNestedEntry(BusAttributes.RIDER_SUB_KEY, subscription.key(), false, head, 1);
		RubyJson.appendNestedEntry(BusAttributes.RIDER_CLASS_NAME, subscription.className(), false, head, 1);
		head.append(',');
		StringBuilder tail = new StringBuilder(64);
		RubyJson.appendNestedEntry(BusAttributes.CLASS_PROXY, subscription.className(), false, tail, 1);
		tail.append('}').append(WireCodec.JOB_END);
		return new RiderMembers(appKey, subscription, head.toString(), tail.toString());
	}

	public String appKey() {
		return this.appKey;
	}

	public SubscriptionEntry subscription() {
		return this.subscription;
	}

	/** Equal for the same app and subscription: the rest follows from them. */
	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof RiderMembers that && this.appKey.equals(that.appKey)
				&& this.subscription.equals(that.subscription));
	}

	@Override
	public int hashCode() {
		return 31 * this.appKey.hashCode() + this.subscription.hashCode();
	}

	@Override
	public String toString() {
		return "RiderMembers[appKey=" + this.appKey + ", subscription=" + this.subscription + "]";
	}

}
