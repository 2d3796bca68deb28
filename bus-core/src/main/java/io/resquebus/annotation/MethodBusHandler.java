package io.resquebus.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import org.springframework.util.ReflectionUtils;

/**
 * Calls a subscriber method with what its signature asks for.
 */
final class MethodBusHandler implements BusHandler {

	private enum Argument {

		NONE, ATTRIBUTES, EVENT

	}

	private final Object bean;

	private final Method method;

	private final Argument argument;

	MethodBusHandler(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
		this.argument = argumentOf(method);
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public void handle(BusEvent event) throws Exception {
		Object[] args = switch (this.argument) {
			case NONE -> new Object[0];
			case ATTRIBUTES -> new Object[] { event.attributes() };
			case EVENT -> new Object[] { event };
		};
		try {
			this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	private static Argument argumentOf(Method method) {
		if (method.getParameterCount() == 0) {
			return Argument.NONE;
		}
		if (method.getParameterCount() == 1) {
			Class<?> type = method.getParameterTypes()[0];
			if (type == BusEvent.class) {
				return Argument.EVENT;
			}
			if (type == Map.class && isStringKeyed(method.getGenericParameterTypes()[0])) {
				return Argument.ATTRIBUTES;
			}
		}
		throw new IllegalStateException("Subscriber method " + method.toGenericString()
				+ " must take no parameter, a Map<String, Object> of attributes or a BusEvent");
	}

	private static boolean isStringKeyed(Type type) {
		return !(type instanceof ParameterizedType parameterized)
				|| parameterized.getActualTypeArguments()[0] == String.class;
	}

	@Override
	public String toString() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
	}

}
