package io.resquebus.dispatch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import io.resquebus.BusEvent;
import io.resquebus.BusSettings;
import io.resquebus.internal.EventBinder;
import io.resquebus.internal.InProcessDelivery;
import io.resquebus.invoke.EventBindingException;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.Match;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * The dispatch DSL: keys, queues, matchers and handlers as queue-bus's {@code dispatch} block
 * makes them, in the app's one registry.
 */
class BusDispatchTests {

	private final WireCodec codec = new WireCodec();

	private final AppSubscriptions subscriptions = new AppSubscriptions("app_b");

	private final BusDispatch dispatch = new BusDispatch(this.subscriptions, EventBinder.of(this.codec.mapper()),
			"test");

	private final List<Object> received = new CopyOnWriteArrayList<>();

	@Test
	void keysAnEventTypeSubscriptionByItsEventTypeOnTheDefaultQueue() {
		this.dispatch.subscribe("user_created", this.received::add);
		assertThat(json("user_created")).isEqualTo("{\"queue_name\":\"app_b_default\",\"key\":\"user_created\","
				+ "\"class\":\"::QueueBus::Rider\",\"matcher\":{\"bus_event_type\":\"user_created\"}}");
	}

	@Test
	void putsCriticalAndNamedQueueSubscriptionsOnTheirQueues() {
		this.dispatch.critical("user_paid", this.received::add);
		this.dispatch.queue("bannana").subscribe("peeled", this.received::add);
		this.dispatch.critical().subscribePattern("^order_", this.received::add);
		assertThat(registryEntry("user_paid").queueName()).isEqualTo("app_b_critical");
		assertThat(registryEntry("peeled").queueName()).isEqualTo("app_b_bannana");
		assertThat(registryEntry("(?-mix:^order_)").queueName()).isEqualTo("app_b_critical");
		assertThat(this.subscriptions.queues()).containsExactly("app_b_critical", "app_b_bannana");
	}

	@Test
	void keysAPatternSubscriptionByThePatternInRubysForm() {
		this.dispatch.subscribePattern("^user_", this.received::add);
		assertThat(json("(?-mix:^user_)")).isEqualTo("{\"queue_name\":\"app_b_default\",\"key\":\"(?-mix:^user_)\","
				+ "\"class\":\"::QueueBus::Rider\",\"matcher\":{\"bus_event_type\":\"(?-mix:^user_)\"}}");
		assertThat(matching("user_created")).containsExactly("(?-mix:^user_)");
		assertThat(matching("superuser_created")).isEmpty();
	}

	@Test
	void storesAMatcherMapUnderItsKeyExactlyAsRubyDoes() {
		Map<String, Object> matcher = new LinkedHashMap<>();
		matcher.put("user_id", Match.PRESENT);
		matcher.put("page", "homepage");
		this.dispatch.subscribe("my_key", matcher, this.received::add);
		assertThat(json("my_key")).isEqualTo("{\"queue_name\":\"app_b_default\",\"key\":\"my_key\","
				+ "\"class\":\"::QueueBus::Rider\",\"matcher\":{\"user_id\":\"bus_special_value_present\","
				+ "\"page\":\"homepage\"}}");
	}

	@Test
	void doesNotImplyAnEventTypeForAMatcherMap() {
		this.dispatch.subscribe("my_key", Map.of("page", "homepage"), this.received::add);
		assertThat(this.subscriptions.matching(Map.of("bus_event_type", "anything", "page", "homepage")))
			.extracting(LocalSubscription::key)
			.containsExactly("my_key");
	}

	@Test
	void storesPatternsAndOtherValuesOfAMatcherMapAsRubyWould() {
		Map<String, Object> matcher = new LinkedHashMap<>();
		matcher.put("bus_event_type", Pattern.compile("^user_", Pattern.CASE_INSENSITIVE));
		matcher.put("tier", 3);
		matcher.put("admin", false);
		this.dispatch.subscribe("my_key", matcher, this.received::add);
		assertThat(this.subscriptions.find("my_key").orElseThrow().matcher()).containsExactly(
				entry("bus_event_type", "(?-mix:(?i)^user_)"), entry("tier", "3"), entry("admin", "false"));
		assertThat(this.subscriptions.matching(Map.of("bus_event_type", "USER_x", "tier", 3, "admin", false)))
			.hasSize(1);
	}

	@Test
	void carriesTheSyncFlagThroughEveryView() {
		this.dispatch.subscribe("async_event", this.received::add);
		this.dispatch.sync().subscribe("sync_event", this.received::add);
		this.dispatch.queue("bannana").sync().critical("sync_critical", this.received::add);
		assertThat(this.subscriptions.find("async_event").orElseThrow().sync()).isFalse();
		assertThat(this.subscriptions.find("sync_event").orElseThrow().sync()).isTrue();
		LocalSubscription critical = this.subscriptions.find("sync_critical").orElseThrow();
		assertThat(critical.sync()).isTrue();
		assertThat(critical.queue()).isEqualTo("critical");
	}

	@Test
	void replacesASubscriptionWithTheSameKey() throws Exception {
		this.dispatch.subscribe("user_created", (event) -> this.received.add("first"));
		this.dispatch.queue("bannana").subscribe("user_created", (event) -> this.received.add("second"));
		deliver("user_created", Map.of());
		assertThat(this.received).containsExactly("second");
		assertThat(registryEntry("user_created").queueName()).isEqualTo("app_b_bannana");
	}

	@Test
	void bindsTypedHandlers() throws Exception {
		this.dispatch.subscribe("user_paid", UserPaid.class, this.received::add);
		this.dispatch.critical("user_paid_too", UserPaid.class, this.received::add);
		this.dispatch.subscribe("user_created", Map.class, (attributes) -> this.received.add(attributes.get("id")));
		this.dispatch.subscribePattern("^user_", BusEvent.class, (event) -> this.received.add(event.eventType()));
		this.dispatch.subscribe("by_amount", Map.of("amount", Match.PRESENT), UserPaid.class, this.received::add);
		deliver("user_paid", Map.of("id", 42, "amount", 10.5, "unknown", "ignored"));
		deliver("user_created", Map.of("id", 7));
		assertThat(this.received).containsExactlyInAnyOrder(new UserPaid(42L, 10.5), "user_paid",
				new UserPaid(42L, 10.5), 7, "user_created");
	}

	@Test
	void throwsAnEventBindingExceptionNamingTheSubscriptionWhenAttributesDoNotFit() {
		this.dispatch.subscribe("user_paid", UserPaid.class, this.received::add);
		assertThatExceptionOfType(EventBindingException.class)
			.isThrownBy(() -> deliver("user_paid", Map.of("amount", "ten")))
			.withMessageStartingWith("Cannot bind event 'user_paid' to " + UserPaid.class.getTypeName()
					+ " for test [user_paid], attribute 'amount': ");
	}

	@Test
	void refusesATypeItCannotBindNamingTheSource() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.dispatch.subscribe("user_created", String.class, this.received::add))
			.withMessageStartingWith("test [user_created]: the handler cannot take java.lang.String");
	}

	@Test
	void refusesMatchersTheRegistryMustNotHoldNamingTheSource() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.dispatch.subscribe("empty", Map.of(), this.received::add))
			.withMessageStartingWith("test [empty]: ");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.dispatch.subscribe("bad_regex", Map.of("a", "(unclosed"), this.received::add))
			.withMessageStartingWith("test [bad_regex]: Matcher value for 'a'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.dispatch.subscribe("nil", Collections.singletonMap("a", null), this.received::add))
			.withMessageStartingWith("test [nil]: Matcher value for 'a' must not be empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.dispatch.subscribe("flags",
					Map.of("a", Pattern.compile("x", Pattern.DOTALL)), this.received::add))
			.withMessageContaining("only CASE_INSENSITIVE");
		assertThatIllegalArgumentException().isThrownBy(() -> this.dispatch.subscribe(" ", this.received::add));
		assertThatIllegalArgumentException().isThrownBy(() -> this.dispatch.queue(""));
		assertThat(this.subscriptions.isEmpty()).isTrue();
	}

	private void deliver(String eventType, Map<String, ?> attributes) throws Exception {
		Map<String, Object> event = Events.published(1_700_000_000L, eventType, "id-1", "host", Map.of(), attributes,
				JobClasses.DRIVER);
		new InProcessDelivery(BusSettings.defaults(), this.subscriptions).deliver(event, (subscription) -> true);
	}

	private List<String> matching(String eventType) {
		return this.subscriptions.matching(Map.of("bus_event_type", eventType))
			.stream()
			.map(LocalSubscription::key)
			.toList();
	}

	private SubscriptionEntry registryEntry(String key) {
		return this.subscriptions.entries().stream().filter((e) -> e.key().equals(key)).findFirst().orElseThrow();
	}

	private String json(String key) {
		return this.codec.subscription(registryEntry(key));
	}

	record UserPaid(Long id, double amount) {
	}

}
