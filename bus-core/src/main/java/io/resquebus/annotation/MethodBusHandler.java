package io.resquebus.annotation;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.function.Supplier;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import io.resquebus.internal.EventBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * Calls a subscriber method with what its signature asks for; a signature the bus cannot serve
 * is refused when the handler is made, naming the method.
 */
public final class MethodBusHandler implements BusHandler {

	private final Supplier<Object> bean;

	/** As declared; the method to call on the bean is picked on first use for a lazy bean. */
	private final Method method;

	private volatile @Nullable Method invocable;

	private final String name;

	private final EventBinder.@Nullable Argument argument;

	/**
	 * @param beanClass the bean's class, to resolve a parameter declared by a generic superclass
	 * @param name names the handler in messages, e.g. {@code Handlers.onUserPaid}
	 * @throws IllegalStateException naming the method if its signature cannot be served
	 */
	MethodBusHandler(Object bean, Method method, Class<?> beanClass, EventBinder binder, String name) {
		this(() -> bean, method, beanClass, binder, name);
		this.invocable = method;
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * A handler whose bean is only asked for on the first event, for {@code @Lazy} beans: the
	 * signature is still checked now.
	 * @param bean supplies the bean (created on first call), e.g. a {@code SingletonSupplier}
	 * @param method as declared on the bean's class
	 */
	MethodBusHandler(Supplier<Object> bean, Method method, Class<?> beanClass, EventBinder binder, String name) {
		this.bean = bean;
		this.method = method;
		this.name = name;
		this.argument = argumentOf(method, beanClass, binder, name);
	}

	@Override
	public void handle(BusEvent event) throws Exception {
		Object[] args = (this.argument != null) ? new Object[] { this.argument.resolve(event) } : new Object[0];
		Object target = this.bean.get();
		invoke(target, invocable(target), args);
	}

	private Method invocable(Object target) {
		Method invocable = this.invocable;
		if (invocable == null) {
			invocable = AopUtils.selectInvocableMethod(this.method, target.getClass());
			ReflectionUtils.makeAccessible(invocable);
			this.invocable = invocable;
		}
		return invocable;
	}

	/** Calls a handler method, throwing what it threw rather than a reflection wrapper. */
	public static void invoke(Object bean, Method method, @Nullable Object[] args) throws Exception {
		try {
			method.invoke(bean, args);
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

	private static EventBinder.@Nullable Argument argumentOf(Method method, Class<?> beanClass, EventBinder binder,
			String name) {
		if (method.getParameterCount() == 0) {
			return null;
		}
		if (method.getParameterCount() > 1) {
			throw new IllegalStateException("Subscriber method " + method.toGenericString() + " takes "
					+ method.getParameterCount() + " parameters; it may take no parameter, a Map<String, Object> "
					+ "of attributes, a BusEvent or one record or POJO bound from the attributes");
		}
		try {
			return binder.argument(parameterType(method, beanClass), name);
		}
		catch (IllegalArgumentException ex) {
			// the message says it all: keep this the root cause, which is what start failures show first
			throw new IllegalStateException("Subscriber method " + method.toGenericString() + " " + ex.getMessage());
		}
	}

	/** The declared type, or for a type variable what the bean's class makes of it. */
	private static Type parameterType(Method method, Class<?> beanClass) {
		Type type = method.getGenericParameterTypes()[0];
		if (type instanceof TypeVariable<?>) {
			Class<?> resolved = ResolvableType.forMethodParameter(method, 0, beanClass).resolve();
			if (resolved != null && resolved != Object.class) {
				return resolved;
			}
		}
		return type;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
