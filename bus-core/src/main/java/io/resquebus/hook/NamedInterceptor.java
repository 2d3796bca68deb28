package io.resquebus.hook;

/**
 * An interceptor with the bean name subscriptions skip it by.
 *
 * @param name the bean name
 * @param interceptor the interceptor
 */
public record NamedInterceptor(String name, BusHandlerInterceptor interceptor) {
}
