package io.resquebus.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.support.Golden;
import io.resquebus.support.TestBus;
import io.resquebus.wire.BusKeys;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The registry in Redis: same bytes as Ruby, whole-app replacement, tolerant reads.
 */
class SubscriptionRegistryTests {

	@RegisterExtension
	final TestBus bus = newBus();

	/** The bus these tests run on; cluster subclasses run them on a Redis Cluster. */
	TestBus newBus() {
		return new TestBus();
	}

	private final WireCodec codec = new WireCodec();

	@Test
	void writesTheSameHashAsRubyForTheSameSubscriptions() {
		Map<String, String> ruby = Golden.load("01_subscribed.json").hash("bus_app:golden_app");
		List<SubscriptionEntry> entries = ruby.entrySet().stream()
			.map((e) -> this.codec.parseSubscription("golden_app", e.getKey(), e.getValue()))
			.toList();
		registry().subscribe("golden_app", entries);
		assertThat(this.bus.hash(this.bus.keys().app("golden_app"))).isEqualTo(ruby);
		assertThat(this.bus.members(this.bus.keys().apps())).containsExactly("golden_app");
	}

	@Test
	void replacesTheWholeSetSoSubscriptionsRemovedFromTheCodeDisappear() {
		SubscriptionRegistry registry = registry();
		registry.subscribe("app_a", List.of(entry("app_a_default", "one"), entry("app_a_default", "two")));
		registry.subscribe("app_a", List.of(entry("app_a_default", "two")));
		assertThat(this.bus.hash(this.bus.keys().app("app_a"))).containsOnlyKeys("two");
		assertThat(this.bus.template().keys("{" + this.bus.namespace() + ":bus_app:app_a}:tmp:*")).isEmpty();
	}

	@Test
	void unsubscribesAnAppThatHasNoSubscriptionsLeft() {
		SubscriptionRegistry registry = registry();
		registry.subscribe("app_a", List.of(entry("app_a_default", "one")));
		registry.subscribe("app_b", List.of(entry("app_b_default", "one")));
		registry.unsubscribe("app_a");
		BusKeys keys = this.bus.keys();
		assertThat(this.bus.members(keys.apps())).containsExactly("app_b");
		assertThat(this.bus.template().hasKey(keys.app("app_a"))).isFalse();
	}

	@Test
	void readsEveryAppAndSkipsEntriesRubyWouldChokeOn() {
		BusKeys keys = this.bus.keys();
		this.bus.template().opsForSet().add(keys.apps(), "app_a", "App-B");
		this.bus.template().opsForHash().put(keys.app("app_a"), "good", this.codec.subscription(entry("app_a_default", "good")));
		this.bus.template().opsForHash().put(keys.app("app_a"), "array", "[1,2]");
		this.bus.template().opsForHash().put(keys.app("app_a"), "no_matcher", "{\"queue_name\":\"q\",\"key\":\"no_matcher\"}");
		this.bus.template().opsForHash().put(keys.app("app_a"), "empty_key", "{\"queue_name\":\"q\",\"key\":\"\",\"matcher\":{\"a\":\"b\"}}");
		this.bus.template().opsForHash().put(keys.app("app_b"), "other", this.codec.subscription(entry("app_b_default", "other")));
		List<Subscription> all = registry().all();
		assertThat(all).extracting(Subscription::appKey, Subscription::key)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("app_a", "good"),
					org.assertj.core.groups.Tuple.tuple("app_b", "other"));
	}

	@Test
	void refusesToRegisterAPatternRubyCouldNotRun() {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> registry().subscribe("app_a",
				List.of(new SubscriptionEntry("app_a_default", "bad", "::QueueBus::Rider",
						Map.of("bus_event_type", "(?-mix:a\\Kb)")))));
		assertThat(this.bus.members(this.bus.keys().apps())).isEmpty();
	}

	@Test
	void refusesAnAppKeyMadeOnlyOfUnderscores() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> registry().subscribe("--", List.of(entry("x_default", "one"))))
			.withMessageContaining("'--'");
	}

	@Test
	void seesAJavaSubscribeAtTheNextReadWhileReusingWhatItRead() {
		MutableClock clock = new MutableClock();
		SubscriptionRegistry driver = cachingRegistry(clock);
		registry().subscribe("app_a", List.of(entry("app_a_default", "one")));
		assertThat(driver.all()).extracting(Subscription::key).containsExactly("one");
		// Written as Ruby writes it: no version bump, so the driver keeps what it read, within its TTL.
		this.bus.template().opsForHash().put(this.bus.keys().app("app_a"), "ruby",
				this.codec.subscription(entry("app_a_default", "ruby")));
		assertThat(driver.all()).extracting(Subscription::key).containsExactly("one");
		registry().subscribe("app_b", List.of(entry("app_b_default", "two")));
		assertThat(driver.all()).extracting(Subscription::key).containsExactlyInAnyOrder("one", "ruby", "two");
		registry().unsubscribe("app_b");
		assertThat(driver.all()).extracting(Subscription::key).containsExactlyInAnyOrder("one", "ruby");
	}

	@Test
	void reusesWhatItReadWhileTheVersionItIsGivenIsTheOneItRead() {
		SubscriptionRegistry driver = cachingRegistry(new MutableClock());
		registry().subscribe("app_a", List.of(entry("app_a_default", "one")));
		String version = this.bus.get(this.bus.keys().registryVersion());
		assertThat(driver.indexAt(version).all()).extracting(Subscription::key).containsExactly("one");
		this.bus.template().opsForHash().put(this.bus.keys().app("app_a"), "ruby",
				this.codec.subscription(entry("app_a_default", "ruby")));
		assertThat(driver.indexAt(version).all()).extracting(Subscription::key).containsExactly("one");
		assertThat(driver.indexAt(version + "1").all()).extracting(Subscription::key)
			.containsExactlyInAnyOrder("one", "ruby");
	}

	@Test
	void seesARubyWriteOnceTheCacheTtlHasPassed() {
		MutableClock clock = new MutableClock();
		SubscriptionRegistry driver = cachingRegistry(clock);
		registry().subscribe("app_a", List.of(entry("app_a_default", "one")));
		assertThat(driver.all()).extracting(Subscription::key).containsExactly("one");
		this.bus.template().opsForHash().put(this.bus.keys().app("app_a"), "one",
				this.codec.subscription(entry("app_a_default", "changed")));
		clock.advance(Duration.ofSeconds(59));
		assertThat(driver.all()).extracting(Subscription::key).containsExactly("one");
		clock.advance(Duration.ofSeconds(1));
		assertThat(driver.all()).extracting(Subscription::key).containsExactly("changed");
	}

	private SubscriptionRegistry cachingRegistry(Clock clock) {
		return new SubscriptionRegistry(this.bus.redis(), this.bus.settings().keys(), this.codec,
				Duration.ofMinutes(1), clock);
	}

	private SubscriptionEntry entry(String queue, String key) {
		return new SubscriptionEntry(queue, key, "::QueueBus::Rider", Map.of("bus_event_type", key));
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.ofEpochSecond(1_718_000_000L);

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	private SubscriptionRegistry registry() {
		BusSettings settings = this.bus.settings();
		return new SubscriptionRegistry(this.bus.redis(), settings.keys(), this.codec, Duration.ZERO, settings.clock());
	}

}
