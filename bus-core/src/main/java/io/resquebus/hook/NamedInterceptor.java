package io.resquebus.hook;

import java.util.List;
import java.util.Map;

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
		Map<String, BusHandlerInterceptor> byName = beans.getBeansOfType(BusHandlerInterceptor.class);
		return beans.getBeanProvider(BusHandlerInterceptor.class)
			.orderedStream()
			.map((interceptor) -> new NamedInterceptor(byName.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() == interceptor)
				.map(Map.Entry::getKey)
				.findFirst()
				.orElse(interceptor.getClass().getName()), interceptor))
			.toList();
	}

}
