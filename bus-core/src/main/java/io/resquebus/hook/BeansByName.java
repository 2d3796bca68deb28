package io.resquebus.hook;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The beans of a type by bean name, for hooks that subscriptions name by bean name.
 */
public final class BeansByName {

	private BeansByName() {
	}

	/**
	 * Every bean of the type by its name, in {@code orderedStream()} order ({@code @Order} on
	 * {@code @Bean} methods included); a bean whose name is not found is listed by its class name.
	 */
	public static <T> Map<String, T> ordered(ListableBeanFactory beans, Class<T> type) {
		// orderedStream() knows the order, getBeansOfType() the names: matched by identity.
		Map<String, T> byName = beans.getBeansOfType(type);
		Map<String, T> ordered = new LinkedHashMap<>();
		beans.getBeanProvider(type).orderedStream().forEach((bean) -> ordered.put(nameOf(byName, bean), bean));
		return ordered;
	}

	private static <T> String nameOf(Map<String, T> byName, T bean) {
		for (Map.Entry<String, T> entry : byName.entrySet()) {
			if (entry.getValue() == bean) {
				return entry.getKey();
			}
		}
		return bean.getClass().getName();
	}

}
