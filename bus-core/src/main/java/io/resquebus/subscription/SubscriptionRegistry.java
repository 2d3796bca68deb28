package io.resquebus.subscription;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.Names;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;

/**
 * The registry in Redis: {@code bus_apps} plus one hash per app (spec section 5). Writes replace
 * an app's whole set atomically; reads return every app's subscriptions, optionally cached for a
 * short time because the driver needs them for every event.
 */
public final class SubscriptionRegistry {

	private static final BusScript SUBSCRIBE = BusScript.load("subscribe");

	private static final BusScript REGISTRY = BusScript.load("registry");

	private final BusRedis redis;

	private final BusKeys keys;

	private final WireCodec codec;

	private final Duration cacheTtl;

	private final Clock clock;

	private volatile @Nullable Snapshot cached;

	public SubscriptionRegistry(BusRedis redis, BusKeys keys, WireCodec codec, Duration cacheTtl, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.cacheTtl = cacheTtl;
		this.clock = clock;
	}

	/**
	 * Replaces all subscriptions of the app with the given ones, atomically; with none, the app is
	 * unsubscribed.
	 * @throws IllegalArgumentException if a subscription could not be read back by Ruby
	 */
	public void subscribe(String appKey, Collection<SubscriptionEntry> entries) {
		String app = Names.appKey(appKey);
		List<String> args = new ArrayList<>(1 + entries.size() * 2);
		args.add(app);
		for (SubscriptionEntry entry : entries) {
			validate(entry);
			args.add(entry.key());
			args.add(this.codec.subscription(entry));
		}
		long nonce = ThreadLocalRandom.current().nextLong(999_999_999L);
		if (this.redis.cluster()) {
			ClusterSubscriptions.subscribe(this.redis, this.keys, app, nonce, args.subList(1, args.size()));
			this.cached = null;
			return;
		}
		this.redis.run(SUBSCRIBE, List.of(this.keys.appBuildArea(app, nonce), this.keys.app(app), this.keys.apps()),
				args);
		this.cached = null;
	}

	public void unsubscribe(String appKey) {
		subscribe(appKey, List.of());
	}

	/** Every subscription of every app, at most {@code cacheTtl} old. */
	public List<Subscription> all() {
		return all(null);
	}

	/**
	 * Every subscription of every app, at most {@code cacheTtl} old, waiting at most
	 * {@code timeout} for Redis (see {@link BusRedis#run(BusScript, List, List, Duration)}).
	 */
	public List<Subscription> all(@Nullable Duration timeout) {
		Snapshot snapshot = this.cached;
		long now = this.clock.millis();
		if (snapshot != null && now < snapshot.expiresAt) {
			return snapshot.subscriptions;
		}
		List<Subscription> subscriptions = read(timeout);
		if (!this.cacheTtl.isZero()) {
			this.cached = new Snapshot(subscriptions, now + this.cacheTtl.toMillis());
		}
		return subscriptions;
	}

	private List<Subscription> read(@Nullable Duration timeout) {
		List<String> scriptKeys = List.of(this.keys.apps());
		List<String> args = List.of(this.keys.app(""));
		List<@Nullable Object> reply = this.redis.cluster() ? ClusterSubscriptions.read(this.redis, this.keys)
				: (timeout != null) ? this.redis.run(REGISTRY, scriptKeys, args, timeout)
						: this.redis.run(REGISTRY, scriptKeys, args);
		List<Subscription> subscriptions = new ArrayList<>();
		int i = 0;
		while (i < reply.size()) {
			String member = String.valueOf(reply.get(i++));
			int fields = ((Number) reply.get(i++)).intValue();
			String app = Names.normalize(member);
			List<String> hash = new ArrayList<>(fields * 2);
			for (int f = 0; f < fields * 2; f++) {
				hash.add(String.valueOf(reply.get(i++)));
			}
			if (!app.equals(member)) {
				hash = readHash(app);
			}
			for (int f = 0; f + 1 < hash.size(); f += 2) {
				SubscriptionEntry entry = this.codec.parseSubscription(app, hash.get(f), hash.get(f + 1));
				if (entry != null) {
					subscriptions.add(Subscription.of(app, entry));
				}
			}
		}
		return List.copyOf(subscriptions);
	}

	/** A member of {@code bus_apps} that is not normalized is read under its normalized key, as Ruby does. */
	private List<String> readHash(String app) {
		Map<byte[], byte[]> hash = this.redis
			.execute((connection) -> connection.hashCommands().hGetAll(BusRedis.bytes(this.keys.app(app))));
		List<String> flat = new ArrayList<>();
		if (hash != null) {
			hash.forEach((field, value) -> {
				flat.add(BusRedis.string(field));
				flat.add(BusRedis.string(value));
			});
		}
		return flat;
	}

	private static void validate(SubscriptionEntry entry) {
		if (entry.key().isEmpty() || entry.queueName().isEmpty()) {
			throw new IllegalArgumentException("Subscription " + entry + " needs a non-empty key and queue");
		}
		EventMatcher.validate(entry.matcher());
	}

	private record Snapshot(List<Subscription> subscriptions, long expiresAt) {
	}

}
