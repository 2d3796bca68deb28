package io.resquebus.annotation;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.resquebus.BusEvent;
import io.resquebus.internal.EventBinder;
import io.resquebus.invoke.EventBindingException;
import io.resquebus.invoke.JobDispatcher;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.wire.Events;
import io.resquebus.wire.JobClasses;
import io.resquebus.wire.SubscriptionEntry;
import io.resquebus.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.PropertyNamingStrategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Each parameter form a subscriber method may take, fed real worker jobs through the
 * {@link JobDispatcher}, and the signatures the bus refuses.
 */
class SubscriberParameterBindingTests {

	private static final long NOW = 1_700_000_000L;

	private final WireCodec codec = new WireCodec();

	private final AppSubscriptions subscriptions = new AppSubscriptions("app_b");

	private final Handlers handlers = new Handlers();

	@Test
	void bindsARecordIgnoringUnknownAttributesAndLeavingMissingOnesNull() throws Exception {
		scan(this.handlers);
		dispatch("Handlers.paid", "user_paid", Map.of("id", 42, "amount", 10.5, "currency", "EUR", "extra", true));
		assertThat(this.handlers.received).containsExactly(new UserPaid(42L, 10.5, "EUR", null, 0));
	}

	@Test
	void bindsNestedObjectsListsAndCoercibleStrings() throws Exception {
		scan(this.handlers);
		dispatch("Handlers.paid", "user_paid", Map.of("id", "7", "amount", 1, "address", Map.of("city", "Lyon"),
				"tags", List.of("a", "b"), "count", 3));
		UserPaid paid = (UserPaid) this.handlers.received.get(0);
		assertThat(paid.id()).isEqualTo(7L);
		assertThat(paid.address().city()).isEqualTo("Lyon");
		assertThat(paid.count()).isEqualTo(3);
	}

	@Test
	void bindsAPojoWithADefaultConstructor() throws Exception {
		scan(this.handlers);
		dispatch("Handlers.renamed", "user_renamed", Map.of("id", 5, "name", "Jane"));
		UserRenamed renamed = (UserRenamed) this.handlers.received.get(0);
		assertThat(renamed.id).isEqualTo(5);
		assertThat(renamed.getName()).isEqualTo("Jane");
	}

	@Test
	void passesTheAttributesWithTheBusMetadata() throws Exception {
		scan(this.handlers);
		dispatch("Handlers.attributes", "user_created", Map.of("id", 42));
		@SuppressWarnings("unchecked")
		Map<String, Object> attributes = (Map<String, Object>) this.handlers.received.get(0);
		assertThat(attributes).containsEntry("id", 42)
			.containsEntry("bus_event_type", "user_created")
			.containsEntry("bus_rider_sub_key", "Handlers.attributes")
			.containsKey("bus_id");
	}

	@Test
	void passesTheEnvelope() throws Exception {
		scan(this.handlers);
		dispatch("Handlers.envelope", "user_created", Map.of("id", 42));
		BusEvent event = (BusEvent) this.handlers.received.get(0);
		assertThat(event.eventType()).isEqualTo("user_created");
		assertThat(event.id()).isEqualTo("bus-id-1");
		assertThat(event.publishedAt()).isEqualTo(Instant.ofEpochSecond(NOW));
		assertThat(event.publisherHostname()).isEqualTo("host-a");
		assertThat(event.subscriptionKey()).isEqualTo("Handlers.envelope");
		assertThat(event.get("id")).isEqualTo(42);
	}

	@Test
	void callsAHandlerWithoutParameters() throws Exception {
		scan(this.handlers);
		dispatch("Handlers.noArgument", "user_visited", Map.of());
		assertThat(this.handlers.received).containsExactly("called");
	}

	@Test
	void resolvesAParameterDeclaredByAGenericSuperclass() throws Exception {
		RenamedHandler handler = new RenamedHandler();
		scan(handler);
		dispatch("RenamedHandler.on", "user_renamed", Map.of("id", 9, "name", "Kim"));
		assertThat(handler.received).singleElement().isInstanceOf(UserRenamed.class);
	}

	@Test
	void throwsAnEventBindingExceptionNamingTheEventTheHandlerAndTheAttribute() throws Exception {
		scan(this.handlers);
		assertThatExceptionOfType(EventBindingException.class)
			.isThrownBy(() -> dispatch("Handlers.paid", "user_paid", Map.of("id", 1, "amount", "not-a-number")))
			.withMessageStartingWith("Cannot bind event 'user_paid' to " + UserPaid.class.getTypeName()
					+ " for Handlers.paid, attribute 'amount': ")
			.withMessageContaining("not-a-number");
		assertThat(this.handlers.received).isEmpty();
	}

	@Test
	void bindsWithTheBusCodecsMapper() throws Exception {
		WireCodec snakeCase = new WireCodec(
				WireCodec.defaultMapperBuilder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build());
		SnakeCaseHandler handler = new SnakeCaseHandler();
		new BusSubscriberAnnotationBeanPostProcessor(this.subscriptions, snakeCase)
			.postProcessAfterInitialization(handler, "handler");
		dispatch("SnakeCaseHandler.on", "user_created", Map.of("first_name", "John"));
		assertThat(handler.received).containsExactly(new UserCreated("John"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "twoParameters", "primitive", "string", "number", "list", "array", "integerKeys",
			"stringValues", "hashMap", "object", "optional", "anInterface", "anEnum", "jdkType" })
	void refusesASignatureItCannotServeNamingTheMethod(String name) {
		Method method = method(BadSignatures.class, name);
		assertThatIllegalStateException()
			.isThrownBy(() -> new MethodBusHandler(new BadSignatures(), method, BadSignatures.class,
					EventBinder.of(this.codec.mapper()), "BadSignatures." + name))
			.withMessageStartingWith("Subscriber method " + method.toGenericString());
	}

	@Test
	void failsTheScanOfABeanWithABadSignature() {
		assertThatIllegalStateException().isThrownBy(() -> scan(new BadSubscriber()))
			.withMessageContaining("BadSubscriber.onUserCreated(java.lang.String)")
			.withMessageContaining("cannot take java.lang.String");
	}

	private void scan(Object bean) {
		new BusSubscriberAnnotationBeanPostProcessor(this.subscriptions, this.codec).postProcessAfterInitialization(bean,
				"bean");
	}

	/** A job exactly as a driver pushes it for the subscription, run as a worker runs it. */
	private void dispatch(String subKey, String eventType, Map<String, ?> attributes) throws Exception {
		Map<String, Object> event = Events.published(NOW, eventType, "bus-id-1", "host-a", Map.of(), attributes,
				JobClasses.DRIVER);
		SubscriptionEntry entry = this.subscriptions.entries()
			.stream()
			.filter((e) -> e.key().equals(subKey))
			.findFirst()
			.orElseThrow();
		String job = this.codec.job(Events.rider(event, NOW + 1, "app_b", entry));
		new JobDispatcher(this.codec, this.subscriptions).dispatch(job);
	}

	private static Method method(Class<?> type, String name) {
		for (Method method : type.getDeclaredMethods()) {
			if (method.getName().equals(name)) {
				return method;
			}
		}
		throw new IllegalArgumentException(name);
	}

	record Address(String city) {
	}

	record UserPaid(Long id, double amount, String currency, Address address, int count) {
	}

	record UserCreated(String firstName) {
	}

	static class UserRenamed {

		public int id;

		private String name;

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

	}

	static class Handlers {

		final List<Object> received = new CopyOnWriteArrayList<>();

		@BusSubscriber("user_paid")
		void paid(UserPaid paid) {
			this.received.add(paid);
		}

		@BusSubscriber("user_renamed")
		void renamed(UserRenamed renamed) {
			this.received.add(renamed);
		}

		@BusSubscriber("user_created")
		void attributes(Map<String, Object> attributes) {
			this.received.add(attributes);
		}

		@BusSubscriber("user_created")
		void envelope(BusEvent event) {
			this.received.add(event);
		}

		@BusSubscriber("user_visited")
		void noArgument() {
			this.received.add("called");
		}

	}

	abstract static class TypedHandler<T> {

		final List<Object> received = new CopyOnWriteArrayList<>();

		@BusSubscriber("user_renamed")
		void on(T event) {
			this.received.add(event);
		}

	}

	static class RenamedHandler extends TypedHandler<UserRenamed> {

	}

	static class SnakeCaseHandler {

		final List<Object> received = new CopyOnWriteArrayList<>();

		@BusSubscriber("user_created")
		void on(UserCreated created) {
			this.received.add(created);
		}

	}

	static class BadSubscriber {

		@BusSubscriber("user_created")
		void onUserCreated(String name) {
		}

	}

	enum Tier {

		GOLD

	}

	@SuppressWarnings("unused")
	static class BadSignatures {

		void twoParameters(Map<String, Object> attributes, BusEvent event) {
		}

		void primitive(int id) {
		}

		void string(String name) {
		}

		void number(Integer id) {
		}

		void list(List<UserPaid> events) {
		}

		void array(UserPaid[] events) {
		}

		void integerKeys(Map<Integer, Object> attributes) {
		}

		void stringValues(Map<String, String> attributes) {
		}

		void hashMap(java.util.HashMap<String, Object> attributes) {
		}

		void object(Object event) {
		}

		void optional(java.util.Optional<UserPaid> event) {
		}

		void anInterface(Runnable event) {
		}

		void anEnum(Tier tier) {
		}

		void jdkType(java.time.LocalDate date) {
		}

	}

}
