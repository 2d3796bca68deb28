package io.resquebus.subscription;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.concurrent.ThreadLocalRandom;

import io.resquebus.redis.BusRedis;
import io.resquebus.redis.BusScript;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.Names;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;

/**
 * The registry in Redis: {@code bus_apps} plus one hash per app (spec section 5). Writes replace
 * an app's whole set atomically and bump a Java-only version key; reads return every app's
 * subscriptions, reused while that version is unchanged for at most {@code cacheTtl}, because the
 * driver needs them for every batch (see {@link #index(Duration)}).
 */
public final class SubscriptionRegistry {

	private static final BusScript SUBSCRIBE = BusScript.load("subscribe");

	private static final BusScript REGISTRY = BusScript.load("registry");

	private static final BusScript VERSION = BusScript.load("registry-version");

	/** How long a version check waits when the client has no command timeout. */
	private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(60);

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
		this.redis.run(SUBSCRIBE, List.of(this.keys.appBuildArea(app, nonce), this.keys.app(app), this.keys.apps(),
				this.keys.registryVersion()), args);
		this.cached = null;
	}

	public void unsubscribe(String appKey) {
		subscribe(appKey, List.of());
	}

	/** Every subscription of every app; see {@link #index(Duration)} for how fresh. */
	public List<Subscription> all() {
		return index(null).all();
	}

	/**
	 * Every subscription of every app, waiting at most {@code timeout} for Redis (see
	 * {@link BusRedis#run(BusScript, List, List, Duration)}); see {@link #index(Duration)} for how fresh.
	 */
	public List<Subscription> all(@Nullable Duration timeout) {
		return index(timeout).all();
	}

	/**
	 * Every subscription of every app, indexed for matching. With a {@code cacheTtl} of zero the
	 * registry is read on every call. Otherwise what was read is reused while the registry version
	 * (bumped by every Java subscribe, read with one {@code GET}) is unchanged and it is younger than
	 * {@code cacheTtl}: a change made through Java is seen at once, one written by another client
	 * (Ruby's queue-bus bumps no version) after at most {@code cacheTtl}.
	 * @param timeout how long to wait for Redis, or {@code null} for the client's command timeout
	 */
	public SubscriptionIndex index(@Nullable Duration timeout) {
		Snapshot snapshot = this.cached;
		long now = this.clock.millis();
		if (young(snapshot, now) && snapshot.version.equals(version(timeout))) {
			return snapshot.index;
		}
		return reread(timeout, snapshot, now);
	}

	/**
	 * As {@link #index(Duration)}, given the registry version as the caller read it (the driver's
	 * fetch reads it in the same step as the batch it routes), so that no round trip checks it.
	 */
	public SubscriptionIndex indexAt(String version) {
		Snapshot snapshot = this.cached;
		long now = this.clock.millis();
		if (young(snapshot, now) && snapshot.version.equals(version)) {
			return snapshot.index;
		}
		return reread(null, snapshot, now);
	}

	/** Whether a snapshot may be reused if its version is still the registry's. */
	@Contract("null, _ -> false")
	private boolean young(@Nullable Snapshot snapshot, long now) {
		return snapshot != null && !this.cacheTtl.isZero() && now - snapshot.readAt < this.cacheTtl.toMillis();
	}

	private SubscriptionIndex reread(@Nullable Duration timeout, @Nullable Snapshot previous, long now) {
		Snapshot read = read(timeout, previous, now);
		this.cached = read;
		return read.index;
	}

	/**
	 * As {@link #index(Duration)}, with the version check sent now, without waiting for its reply,
	 * so the caller can work meanwhile; the supplier waits for it (and reads the registry if needed).
	 */
	public Supplier<SubscriptionIndex> indexSoon() {
		Snapshot snapshot = this.cached;
		long now = this.clock.millis();
		if (!young(snapshot, now)) {
			return () -> index(null);
		}
		Duration timeout = this.redis.commandTimeout();
		CompletableFuture<List<@Nullable Object>> version = this.redis.runAsync(VERSION,
				List.of(this.keys.registryVersion()), List.of(),
				(timeout != null && !timeout.isNegative() && !timeout.isZero()) ? timeout : VERSION_TIMEOUT);
		return () -> {
			List<@Nullable Object> reply;
			try {
				reply = version.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
			if (!reply.isEmpty() && snapshot.version.equals(String.valueOf(reply.get(0)))) {
				return snapshot.index;
			}
			return reread(null, snapshot, this.clock.millis());
		};
	}

	private String version(@Nullable Duration timeout) {
		List<String> scriptKeys = List.of(this.keys.registryVersion());
		List<@Nullable Object> reply = (timeout != null) ? this.redis.run(VERSION, scriptKeys, List.of(), timeout)
				: this.redis.run(VERSION, scriptKeys, List.of());
		return reply.isEmpty() ? "" : String.valueOf(reply.get(0));
	}

	private Snapshot read(@Nullable Duration timeout, @Nullable Snapshot previous, long now) {
		List<String> scriptKeys = List.of(this.keys.apps(), this.keys.registryVersion());
		List<String> args = List.of(this.keys.app(""));
		List<@Nullable Object> reply = this.redis.cluster() ? ClusterSubscriptions.read(this.redis, this.keys)
				: (timeout != null) ? this.redis.run(REGISTRY, scriptKeys, args, timeout)
						: this.redis.run(REGISTRY, scriptKeys, args);
		Map<String, Optional<Subscription>> parsed = new HashMap<>();
		Map<String, Optional<Subscription>> known = (previous != null) ? previous.parsed : Map.of();
		List<Subscription> subscriptions = new ArrayList<>();
		String version = String.valueOf(reply.get(0));
		int i = 1;
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
				String field = hash.get(f);
				String json = hash.get(f + 1);
				// Unchanged entries are not parsed (nor their regexes compiled) again.
				String raw = app + '\u0000' + field + '\u0000' + json;
				Optional<Subscription> subscription = known.get(raw);
				if (subscription == null) {
					SubscriptionEntry entry = this.codec.parseSubscription(app, field, json);
					subscription = Optional.ofNullable((entry != null) ? Subscription.of(app, entry) : null);
				}
				parsed.put(raw, subscription);
				subscription.ifPresent(subscriptions::add);
			}
		}
		return new Snapshot(SubscriptionIndex.of(subscriptions), parsed, version, now);
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

	private record Snapshot(SubscriptionIndex index, Map<String, Optional<Subscription>> parsed, String version,
			long readAt) {
	}

}
