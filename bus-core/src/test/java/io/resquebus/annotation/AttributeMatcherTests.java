package io.resquebus.annotation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Attribute matchers on {@link BusSubscriber}: how they are stored, how they match (queue-bus
 * rules, special values included) and which declarations fail the start.
 */
class AttributeMatcherTests {

	private final WireCodec codec = new WireCodec();

	private final AppSubscriptions subscriptions = new AppSubscriptions("app_b");

	@Test
	void storesTheEventTypeFirstThenTheAttributesInDeclarationOrder() {
		scan(new Updates());
		assertThat(subscription("Updates.withEmail").matcher()).containsExactly(entry("bus_event_type", "user_updated"),
				entry("email", "bus_special_value_present"), entry("tier", "3"));
	}

	@Test
	void writesTheMatcherToTheRegistryInRubysShape() {
		scan(new Updates());
		assertThat(this.codec.subscription(registryEntry("Updates.withEmail"))).isEqualTo(
				"{\"queue_name\":\"app_b_default\",\"key\":\"Updates.withEmail\",\"class\":\"::QueueBus::Rider\","
						+ "\"matcher\":{\"bus_event_type\":\"user_updated\",\"email\":\"bus_special_value_present\","
						+ "\"tier\":\"3\"}}");
		assertThat(this.codec.subscription(registryEntry("Updates.homepageVisits"))).isEqualTo(
				"{\"queue_name\":\"app_b_critical\",\"key\":\"Updates.homepageVisits\",\"class\":\"::QueueBus::Rider\","
						+ "\"matcher\":{\"page\":\"homepage\",\"user_id\":\"bus_special_value_present\"}}");
	}

	@Test
	void combinesTheEventTypeAndTheAttributesByAnd() {
		scan(new Updates());
		assertThat(matching(event("user_updated", "email", "a@b.c", "tier", 3))).contains("Updates.withEmail");
		assertThat(matching(event("user_updated", "email", "a@b.c", "tier", 4))).doesNotContain("Updates.withEmail");
		assertThat(matching(event("user_updated", "email", " ", "tier", 3))).doesNotContain("Updates.withEmail");
		assertThat(matching(event("user_created", "email", "a@b.c", "tier", 3))).doesNotContain("Updates.withEmail");
	}

	@Test
	void matchesOnAttributesAloneWithoutAnEventType() {
		scan(new Updates());
		assertThat(matching(event("anything", "page", "homepage", "user_id", 1))).contains("Updates.homepageVisits");
		assertThat(matching(event("anything", "page", "homepage"))).doesNotContain("Updates.homepageVisits");
		assertThat(subscription("Updates.homepageVisits").queue()).isEqualTo("critical");
	}

	@Test
	void matchesEverySpecialValueAsQueueBusDoes() {
		scan(new Specials());
		assertThat(matching(event("e", "value", null))).containsExactlyInAnyOrder("Specials.key", "Specials.nil",
				"Specials.blank");
		assertThat(matching(event("e"))).containsExactlyInAnyOrder("Specials.nil", "Specials.blank");
		assertThat(matching(event("e", "value", ""))).containsExactlyInAnyOrder("Specials.key", "Specials.value",
				"Specials.empty", "Specials.blank");
		assertThat(matching(event("e", "value", " \t"))).containsExactlyInAnyOrder("Specials.key", "Specials.value",
				"Specials.blank");
		assertThat(matching(event("e", "value", 0))).containsExactlyInAnyOrder("Specials.key", "Specials.value",
				"Specials.present");
		assertThat(matching(event("e", "value", false))).containsExactlyInAnyOrder("Specials.key", "Specials.value",
				"Specials.present");
	}

	@Test
	void storesAnAttributePatternInRubysFormAndMatchesItUnanchored() {
		scan(new Updates());
		assertThat(subscription("Updates.examplePeople").matcher()).containsEntry("email",
				"(?-mix:@example\\.com$)");
		assertThat(matching(event("user_updated", "email", "jo@example.com"))).contains("Updates.examplePeople");
		assertThat(matching(event("user_updated", "email", "jo@example.org"))).doesNotContain("Updates.examplePeople");
	}

	@Test
	void anchorsAPlainValueAsARegexAsRubyDoes() {
		scan(new Updates());
		assertThat(matching(event("user_updated", "tier", "gold"))).contains("Updates.goldOrSilver");
		assertThat(matching(event("user_updated", "tier", "silver"))).contains("Updates.goldOrSilver");
		assertThat(matching(event("user_updated", "tier", "golden"))).doesNotContain("Updates.goldOrSilver");
	}

	@Test
	void failsOnAnAttributeWithBothValueAndPattern() {
		assertInvalid(new BothValueAndPattern(), "BothValueAndPattern.on()",
				"needs exactly one of value or pattern on @Attribute 'email'");
	}

	@Test
	void failsOnAnAttributeWithNeitherValueNorPattern() {
		assertInvalid(new NoValue(), "NoValue.on()", "needs exactly one of value or pattern on @Attribute 'email'");
	}

	@Test
	void failsOnAnAttributeMatchedTwice() {
		assertInvalid(new Twice(), "Twice.on()", "matches attribute 'bus_event_type' twice");
	}

	@Test
	void failsOnASubscriptionWithNothingToMatch() {
		assertInvalid(new Nothing(), "Nothing.on()", "needs an event type (value), a pattern or attributes");
	}

	@Test
	void failsOnAMisspeltSpecialValue() {
		assertInvalid(new Misspelt(), "Misspelt.on()", "is not a special value: 'bus_special_value_presnt'");
	}

	@Test
	void failsOnARegexJavaCannotUse() {
		assertInvalid(new BadRegex(), "BadRegex.on()", "Matcher value for 'email'");
	}

	private void assertInvalid(Object bean, String method, String problem) {
		assertThatIllegalStateException().isThrownBy(() -> scan(bean))
			.withMessageStartingWith("@BusSubscriber on ")
			.withMessageContaining("$" + method)
			.withMessageContaining(problem);
	}

	private void scan(Object bean) {
		new BusSubscriberAnnotationBeanPostProcessor(this.subscriptions, this.codec).postProcessAfterInitialization(bean,
				"bean");
	}

	private LocalSubscription subscription(String key) {
		return this.subscriptions.find(key).orElseThrow();
	}

	private SubscriptionEntry registryEntry(String key) {
		return this.subscriptions.entries().stream().filter((e) -> e.key().equals(key)).findFirst().orElseThrow();
	}

	private List<String> matching(Map<String, Object> event) {
		return this.subscriptions.matching(event).stream().map(LocalSubscription::key).toList();
	}

	private static Map<String, Object> event(String eventType, Object... attributes) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("bus_event_type", eventType);
		for (int i = 0; i < attributes.length; i += 2) {
			event.put((String) attributes[i], attributes[i + 1]);
		}
		return event;
	}

	static class Updates {

		@BusSubscriber(value = "user_updated",
				attributes = { @Attribute(name = "email", value = Attribute.PRESENT), @Attribute(name = "tier", value = "3") })
		void withEmail() {
		}

		@Critical(attributes = { @Attribute(name = "page", value = "homepage"),
				@Attribute(name = "user_id", value = Attribute.PRESENT) })
		void homepageVisits() {
		}

		@BusSubscriber(value = "user_updated", attributes = @Attribute(name = "email", pattern = "@example\\.com$"))
		void examplePeople() {
		}

		@BusSubscriber(value = "user_updated", attributes = @Attribute(name = "tier", value = "(gold|silver)"))
		void goldOrSilver() {
		}

	}

	static class Specials {

		@BusSubscriber(value = "e", attributes = @Attribute(name = "value", value = Attribute.KEY))
		void key() {
		}

		@BusSubscriber(value = "e", attributes = @Attribute(name = "value", value = Attribute.NIL))
		void nil() {
		}

		@BusSubscriber(value = "e", attributes = @Attribute(name = "value", value = Attribute.VALUE))
		void value() {
		}

		@BusSubscriber(value = "e", attributes = @Attribute(name = "value", value = Attribute.EMPTY))
		void empty() {
		}

		@BusSubscriber(value = "e", attributes = @Attribute(name = "value", value = Attribute.BLANK))
		void blank() {
		}

		@BusSubscriber(value = "e", attributes = @Attribute(name = "value", value = Attribute.PRESENT))
		void present() {
		}

	}

	static class BothValueAndPattern {

		@BusSubscriber(value = "e", attributes = @Attribute(name = "email", value = "a", pattern = "b"))
		void on() {
		}

	}

	static class NoValue {

		@BusSubscriber(value = "e", attributes = @Attribute(name = "email"))
		void on() {
		}

	}

	static class Twice {

		@BusSubscriber(value = "e", attributes = @Attribute(name = "bus_event_type", value = "f"))
		void on() {
		}

	}

	static class Nothing {

		@BusSubscriber
		void on() {
		}

	}

	static class Misspelt {

		@BusSubscriber(value = "e", attributes = @Attribute(name = "email", value = "bus_special_value_presnt"))
		void on() {
		}

	}

	static class BadRegex {

		@BusSubscriber(value = "e", attributes = @Attribute(name = "email", value = "(unclosed"))
		void on() {
		}

	}

}
