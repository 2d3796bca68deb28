package io.resquebus.dispatch;

/**
 * A bean that declares subscriptions in code, as queue-bus's {@code dispatch} block does:
 * <pre class="code">
 * &#64;Bean
 * BusDispatchConfigurer userEvents(Billing billing) {
 *     return (dispatch) -&gt; {
 *         dispatch.subscribe("user_created", (event) -&gt; log(event.get("id")));
 *         dispatch.critical("user_paid", UserPaid.class, billing::charge);
 *         dispatch.queue("bannana").subscribe("peeled", (event) -&gt; peel());
 *     };
 * }
 * </pre>
 * Every configurer runs once, when all singletons exist, after the {@code @BusSubscriber}
 * methods were collected, in {@code @Order}; its subscriptions join the same registry, so one
 * with the key of an annotated method replaces it.
 */
@FunctionalInterface
public interface BusDispatchConfigurer {

	void configure(BusDispatch dispatch);

}
