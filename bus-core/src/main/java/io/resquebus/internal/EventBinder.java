package io.resquebus.internal;

import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.resquebus.BusEvent;
import io.resquebus.invoke.EventBindingException;
import org.jspecify.annotations.Nullable;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a handler the argument it asks for from each delivered event: the {@link BusEvent}, its
 * attribute map, or a record or POJO bound from the attributes through the bus's own JSON mapper
 * (never the application's), unknown attributes ignored and missing ones {@code null}. Whether a
 * type can be served is decided when the handler is declared, so a signature the bus cannot serve
 * fails the application start instead of every event.
 */
public final class EventBinder {

	/** Resolves a handler's argument from one delivered event. */
	@FunctionalInterface
	public interface Argument {

		/**
		 * @throws EventBindingException if the attributes do not fit the handler's type
		 */
		Object resolve(BusEvent event);

	}

	private final Supplier<JsonMapper> mapper;

	/**
	 * @param mapper supplies the bus's JSON mapper; asked once, when the first event is bound, so
	 * a container can hand over the codec it creates later
	 */
	public EventBinder(Supplier<? extends JsonMapper> mapper) {
		this.mapper = SingletonSupplier.of(mapper::get);
	}

	/** A binder with the given mapper, e.g. {@code EventBinder.of(settings.codec().mapper())}. */
	public static EventBinder of(JsonMapper mapper) {
		return new EventBinder(() -> mapper);
	}

	/**
	 * What a handler taking one parameter of the given type receives.
	 * @param type the parameter type: {@link BusEvent}, {@code Map<String, Object>} or a record
	 * or POJO
	 * @param handler names the handler in binding errors
	 * @throws IllegalArgumentException saying why the bus cannot serve {@code type}
	 */
	public Argument argument(Type type, String handler) {
		Class<?> raw = rawClass(type);
		if (raw == BusEvent.class) {
			return (event) -> event;
		}
		if (raw == Map.class) {
			requireAttributeMap(type);
			return BusEvent::attributes;
		}
		String problem = problem(raw);
		if (problem != null) {
			throw new IllegalArgumentException("cannot take " + type.getTypeName() + " (" + problem
					+ "); a handler takes no parameter, a Map<String, Object> of attributes, a BusEvent or one "
					+ "record or POJO bound from the attributes");
		}
		return new Bound(type, handler);
	}

	private static Class<?> rawClass(Type type) {
		if (type instanceof Class<?> cls) {
			return cls;
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> cls) {
			return cls;
		}
		throw new IllegalArgumentException("cannot take " + type.getTypeName()
				+ " (a type variable or generic array the bus cannot resolve); declare a concrete type");
	}

	private static void requireAttributeMap(Type type) {
		if (!(type instanceof ParameterizedType parameterized)) {
			return;
		}
		Type[] arguments = parameterized.getActualTypeArguments();
		if (arguments[0] != String.class || !isObject(arguments[1])) {
			throw new IllegalArgumentException("cannot take " + type.getTypeName()
					+ "; the attributes are a Map<String, Object> (values are strings, numbers, booleans, lists, "
					+ "maps or null)");
		}
	}

	private static boolean isObject(Type type) {
		if (type == Object.class) {
			return true;
		}
		return type instanceof WildcardType wildcard && wildcard.getLowerBounds().length == 0
				&& (wildcard.getUpperBounds().length == 0 || wildcard.getUpperBounds()[0] == Object.class);
	}

	private static @Nullable String problem(Class<?> type) {
		if (type.isPrimitive()) {
			return "a primitive";
		}
		if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
			return "a collection";
		}
		if (Map.class.isAssignableFrom(type)) {
			return "a Map implementation: take Map<String, Object>";
		}
		if (CharSequence.class.isAssignableFrom(type) || Number.class.isAssignableFrom(type) || type == Boolean.class
				|| type == Character.class || type.isEnum() || type == Optional.class) {
			return "a single value, not an object of attributes";
		}
		if (type == Object.class) {
			return "say which type: Map<String, Object>, BusEvent or a record";
		}
		if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
			return "an interface or abstract class the bus cannot instantiate";
		}
		String name = type.getName();
		if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")) {
			return "a JDK type, not an object of attributes";
		}
		return null;
	}

	/** A record or POJO read from the attributes with the bus's mapper. */
	private final class Bound implements Argument {

		private final Type type;

		private final String handler;

		private final Supplier<ObjectReader> reader;

		Bound(Type type, String handler) {
			this.type = type;
			this.handler = handler;
			this.reader = SingletonSupplier.of(() -> {
				JsonMapper mapper = EventBinder.this.mapper.get();
				// bus_* attributes are always there: never fail on what the type does not declare
				return mapper.readerFor(mapper.constructType(type))
					.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
			});
		}

		@Override
		public Object resolve(BusEvent event) {
			try {
				JsonNode tree = EventBinder.this.mapper.get().valueToTree(event.attributes());
				return this.reader.get().readValue(tree);
			}
			catch (JacksonException ex) {
				throw new EventBindingException("Cannot bind event '" + event.eventType() + "' to "
						+ this.type.getTypeName() + " for " + this.handler + attribute(ex.getPath()) + ": "
						+ ex.getOriginalMessage(), ex);
			}
		}

	}

	/** Where in the attributes binding failed, e.g. {@code , attribute 'address.city'}. */
	private static String attribute(List<JacksonException.Reference> path) {
		if (path.isEmpty()) {
			return "";
		}
		StringBuilder name = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				name.append(name.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				name.append('[').append(reference.getIndex()).append(']');
			}
		}
		return name.isEmpty() ? "" : ", attribute '" + name + "'";
	}

}
