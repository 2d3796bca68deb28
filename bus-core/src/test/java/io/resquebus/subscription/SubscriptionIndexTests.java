package io.resquebus.subscription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.testsupport.GoldenFiles;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.RubyValues;
import io.resquebus.wire.SubscriptionEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver's index finds exactly the subscriptions a linear match over every subscription finds,
 * in registry order, whatever the event type and the matchers.
 */
class SubscriptionIndexTests {

	private final MatchBudget budget = MatchBudget.defaults();

	@Test
	void findsWhatMatchingEverySubscriptionFindsForEverySpecVectorOnTheEventType() {
		List<Subscription> subscriptions = new ArrayList<>();
		List<Map<String, Object>> events = new ArrayList<>();
		for (Arguments vector : EventMatcherTests.specVectors().toList()) {
			Object[] args = vector.get();
			Map<String, String> matcher = new LinkedHashMap<>();
			GoldenFiles.parseObject((String) args[1])
				.forEach((name, value) -> matcher.put(rename(name), RubyValues.toS(value)));
			if (!matcher.isEmpty()) {
				subscriptions.add(subscription("v" + args[0], matcher));
			}
			Map<String, Object> event = new LinkedHashMap<>();
			GoldenFiles.parseObject((String) args[2]).forEach((name, value) -> event.put(rename(name), value));
			events.add(event);
		}
		subscriptions.add(subscription("plain", Map.of("bus_event_type", "foo")));
		subscriptions.add(subscription("plain_too", Map.of("bus_event_type", "user_created")));
		events.add(Map.of("bus_event_type", "x\nfoo"));
		events.add(Map.of("bus_event_type", "foo\n"));
		events.add(Map.of("bus_event_type", "foo"));
		SubscriptionIndex index = SubscriptionIndex.of(subscriptions);
		int matches = 0;
		for (Map<String, Object> event : events) {
			List<Subscription> linear = subscriptions.stream().filter((s) -> this.budget.matches(s, event)).toList();
			assertThat(index.matching(event, this.budget)).as("%s", event).containsExactlyElementsOf(linear);
			matches += linear.size();
		}
		assertThat(matches).isGreaterThan(events.size() / 2);
	}

	@Test
	void matchesAPlainEventTypeInsideAMultiLineEventTypeAsRubyDoes() {
		Subscription plain = subscription("plain", Map.of("bus_event_type", "user_created"));
		SubscriptionIndex index = SubscriptionIndex.of(List.of(plain));
		assertThat(index.matching(Map.of("bus_event_type", "a\nuser_created"), this.budget)).containsExactly(plain);
		assertThat(index.matching(Map.of("bus_event_type", "a user_created"), this.budget)).isEmpty();
	}

	@Test
	void keepsRegistryOrderAcrossExactAndRegexSubscriptions() {
		Subscription first = subscription("first", Map.of("bus_event_type", "user_.*"));
		Subscription second = subscription("second", Map.of("bus_event_type", "user_created"));
		Subscription third = subscription("third", Map.of("bus_event_type", "bus_special_value_present"));
		Subscription fourth = subscription("fourth", Map.of("bus_event_type", "user_created", "id", "42"));
		Subscription other = subscription("other", Map.of("bus_event_type", "order_paid"));
		SubscriptionIndex index = SubscriptionIndex.of(List.of(first, second, other, third, fourth));
		assertThat(index.matching(Map.of("bus_event_type", "user_created", "id", 42), this.budget))
			.containsExactly(first, second, third, fourth);
		assertThat(index.matching(Map.of("bus_event_type", "user_created", "id", 7), this.budget))
			.containsExactly(first, second, third);
	}

	@Test
	void takesOnlyValuesThatMatchNothingButThemselvesAsPlain() {
		assertThat(SubscriptionIndex.isPlain("user_created")).isTrue();
		assertThat(SubscriptionIndex.isPlain("Billing::Invoice-paid/v2")).isTrue();
		for (String value : List.of("", "user.created", "user_.*", "a|b", "(?-mix:^user)", "x+", "a\\d", "[a]",
				"bus_special_value_present", "bus_special_value_typo", "é", "a{2}", "a$", "^a")) {
			assertThat(SubscriptionIndex.isPlain(value)).as(value).isFalse();
		}
	}

	private static String rename(String name) {
		return "x".equals(name) ? "bus_event_type" : name;
	}

	private static Subscription subscription(String key, Map<String, String> matcher) {
		return Subscription.of("app", new SubscriptionEntry("app_default", key, JobClasses.RIDER, matcher));
	}

}
