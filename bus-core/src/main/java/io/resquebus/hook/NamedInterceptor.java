package io.resquebus.hook;

import java.util.List;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * An interceptor with the bean name subscriptions skip it by.
 *
 * @param name the bean name
 * @param interceptor the interceptor
 */
public record NamedInterceptor(String name, BusHandlerInterceptor interceptor) {

	/** Every interceptor bean with its name, in {@code @Order} (which sees {@code @Order} on {@code @Bean} methods too). */
	public static List<NamedInterceptor> beansOf(ListableBeanFactory beans) {
		return BeansByName.ordered(beans, BusHandlerInterceptor.class)
			.entrySet()
			.stream()
			.map((entry) -> new NamedInterceptor(entry.getKey(), entry.getValue()))
			.toList();
	}

}
