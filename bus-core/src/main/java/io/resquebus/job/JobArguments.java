package io.resquebus.job;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.resquebus.wire.PlainJob;
import org.jspecify.annotations.Nullable;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds a plain job's {@code args} to a handler method's parameters, positionally, through the
 * bus's own JSON mapper. Whether a signature can be served is decided when the handler is
 * declared; a job whose args do not fit fails with {@link JobArgumentException}, as Ruby's
 * {@code perform} raises {@code ArgumentError} on a wrong arity.
 */
final class JobArguments {

	private final Supplier<JsonMapper> mapper;

	/** @param mapper supplies the bus's mapper; asked when the first job is bound */
	JobArguments(Supplier<? extends JsonMapper> mapper) {
		this.mapper = SingletonSupplier.of(mapper::get);
	}

	/** Resolves a method's arguments from one job. */
	@FunctionalInterface
	interface Binding {

		@Nullable Object[] bind(PlainJob job);

	}

	/**
	 * @param handler names the handler in messages
	 * @throws IllegalArgumentException saying why a parameter cannot be served
	 */
	Binding binding(Method method, String handler) {
		Type[] types = method.getGenericParameterTypes();
		if (types.length == 1 && types[0] == PlainJob.class) {
			return (job) -> new Object[] { job };
		}
		if (types.length == 1 && types[0] instanceof Class<?> type && type.isRecord()
				&& type.isAnnotationPresent(ResqueClass.class)) {
			return record(type, handler);
		}
		for (int i = 0; i < types.length; i++) {
			String problem = problem(types[i]);
			if (problem != null) {
				throw new IllegalArgumentException("cannot take parameter " + (i + 1) + " of type " + types[i].getTypeName()
						+ " (" + problem + "); parameters bind to the job's args in order: strings, numbers, booleans, "
						+ "List, Map, Object, records or POJOs, or one PlainJob or @ResqueClass record for them all");
			}
		}
		return (job) -> bind(job, types, handler);
	}

	/** A {@link ResqueClass} record made of all the args, one per component. */
	private Binding record(Class<?> type, String handler) {
		RecordComponent[] components = type.getRecordComponents();
		Type[] types = new Type[components.length];
		Class<?>[] raw = new Class<?>[components.length];
		for (int i = 0; i < components.length; i++) {
			types[i] = components[i].getGenericType();
			raw[i] = components[i].getType();
		}
		java.lang.reflect.Constructor<?> constructor;
		try {
			constructor = type.getDeclaredConstructor(raw);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalArgumentException("cannot make a " + type.getName() + ": it has no canonical constructor");
		}
		org.springframework.util.ReflectionUtils.makeAccessible(constructor);
		return (job) -> {
			Object[] values = bind(job, types, handler);
			try {
				return new Object[] { constructor.newInstance(values) };
			}
			catch (ReflectiveOperationException ex) {
				throw new JobArgumentException("Cannot make a " + type.getName() + " of the args of " + job.className()
						+ " for " + handler + ": " + ex, ex);
			}
		};
	}

	private @Nullable Object[] bind(PlainJob job, Type[] types, String handler) {
		if (job.args().size() != types.length) {
			throw new JobArgumentException("wrong number of arguments (given " + job.args().size() + ", expected "
					+ types.length + ") for " + handler + ", job " + job.className());
		}
		JsonMapper mapper = this.mapper.get();
		Object[] values = new Object[types.length];
		for (int i = 0; i < types.length; i++) {
			Object arg = job.args().get(i);
			try {
				JavaType type = mapper.constructType(types[i]);
				values[i] = (arg == null && !type.isPrimitive()) ? null : mapper.convertValue(arg, type);
			}
			catch (JacksonException | IllegalArgumentException ex) {
				throw new JobArgumentException("Cannot bind argument " + (i + 1) + " of " + job.className() + " to "
						+ types[i].getTypeName() + " for " + handler + ": " + originalMessage(ex), ex);
			}
		}
		return values;
	}

	private static String originalMessage(Exception ex) {
		return (ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : String.valueOf(ex.getMessage());
	}

	private static @Nullable String problem(Type type) {
		Class<?> raw;
		if (type instanceof Class<?> cls) {
			raw = cls;
		}
		else if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> cls) {
			raw = cls;
		}
		else {
			return "a type variable or generic array the bus cannot resolve";
		}
		if (raw == PlainJob.class) {
			return "a PlainJob takes the whole job, so it must be the only parameter";
		}
		if (raw.isPrimitive() || raw == String.class || raw == Object.class || Number.class.isAssignableFrom(raw)
				|| raw == Boolean.class || raw.isEnum() || raw == List.class || raw == Map.class
				|| raw == Collection.class || raw == BigInteger.class || raw == BigDecimal.class
				|| raw.isArray()) {
			return null;
		}
		if (raw.isInterface() || Modifier.isAbstract(raw.getModifiers())) {
			return "an interface or abstract class the bus cannot instantiate";
		}
		String name = raw.getName();
		if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")) {
			if (List.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
				return null;
			}
			return "a JDK type that is not a JSON value";
		}
		return null;
	}

}
