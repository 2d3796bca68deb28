package io.resquebus.annotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.resquebus.BusHandler;
import io.resquebus.dispatch.BusDispatch;
import io.resquebus.dispatch.BusDispatchConfigurer;
import io.resquebus.hook.BeansByName;
import io.resquebus.hook.BusErrorHandler;
import io.resquebus.hook.BusHandlerInterceptor;
import io.resquebus.hook.InterceptedHandler;
import io.resquebus.hook.NamedInterceptor;
import io.resquebus.internal.EventBinder;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.Assert;

/**
 * Registers the subscriptions {@link BusSubscriberAnnotationBeanPostProcessor} found, as
 * spring-kafka's {@code KafkaListenerEndpointRegistrar} does for its post-processor: holds them
 * until every singleton exists, then adds them to the app's subscriptions, applies every
 * {@link BusDispatchConfigurer} bean and fails the start on a subscription the bus cannot serve or
 * a hook name no bean answers to. Also looks up the interceptor chain the handlers run in.
 */
final class BusSubscriberRegistrar {

	private final List<LocalSubscription> pending = new ArrayList<>();

	private final List<InterceptedHandler> intercepted = new ArrayList<>();

	private final EventBinder binder;

	private @Nullable AppSubscriptions subscriptions;

	private @Nullable BeanFactory beanFactory;

	private volatile @Nullable List<NamedInterceptor> interceptors;

	BusSubscriberRegistrar(@Nullable AppSubscriptions subscriptions, EventBinder binder) {
		this.subscriptions = subscriptions;
		this.binder = binder;
	}

	void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/** The handler inside the interceptor chain, with the subscription's hook options. */
	InterceptedHandler intercepted(BusHandler handler, String key, Set<String> skipped,
			@Nullable String errorHandler) {
		return new InterceptedHandler(handler, key, this::interceptors, skipped, errorHandler);
	}

	/** Adds the subscription now if the app's subscriptions are known, else once all singletons exist. */
	void register(LocalSubscription subscription) {
		synchronized (this.pending) {
			if (subscription.handler() instanceof InterceptedHandler handler) {
				this.intercepted.add(handler);
			}
			if (this.subscriptions != null) {
				this.subscriptions.add(subscription);
			}
			else {
				this.pending.add(subscription);
			}
		}
	}

	/** Called once every singleton exists. */
	void registerAll() {
		synchronized (this.pending) {
			if (this.subscriptions == null) {
				Assert.state(this.beanFactory != null, "No BeanFactory to find the AppSubscriptions in");
				this.subscriptions = this.beanFactory.getBean(AppSubscriptions.class);
			}
			this.subscriptions.addAll(this.pending);
			this.pending.clear();
			applyConfigurers(this.subscriptions);
			this.subscriptions.validate();
			validateHookNames(this.subscriptions);
		}
	}

	private void applyConfigurers(AppSubscriptions subscriptions) {
		if (!(this.beanFactory instanceof ListableBeanFactory beans)) {
			return;
		}
		BeansByName.ordered(beans, BusDispatchConfigurer.class)
			.forEach((name, configurer) -> configurer.configure(new BusDispatch(subscriptions, this.binder,
					"BusDispatchConfigurer '" + name + "'",
					(key, handler) -> intercepted(handler, key, Set.of(), null))));
	}

	/** Every interceptor bean in order, looked up once all singletons exist. */
	private List<NamedInterceptor> interceptors() {
		List<NamedInterceptor> interceptors = this.interceptors;
		if (interceptors == null) {
			interceptors = findInterceptors();
			this.interceptors = interceptors;
		}
		return interceptors;
	}

	private List<NamedInterceptor> findInterceptors() {
		if (!(this.beanFactory instanceof ListableBeanFactory beans)) {
			return List.of();
		}
		return NamedInterceptor.beansOf(beans);
	}

	/** Fails the start on a skipped interceptor or an error handler no bean of its type answers to. */
	private void validateHookNames(AppSubscriptions subscriptions) {
		if (this.intercepted.isEmpty() || !(this.beanFactory instanceof ListableBeanFactory beans)) {
			return;
		}
		List<String> interceptorNames = interceptors().stream().map(NamedInterceptor::name).toList();
		List<String> errorHandlerNames = List.of(beans.getBeanNamesForType(BusErrorHandler.class));
		subscriptions.all().forEach((subscription) -> {
			if (!(subscription.handler() instanceof InterceptedHandler handler)) {
				return;
			}
			for (String skipped : handler.skippedInterceptors()) {
				Assert.state(interceptorNames.contains(skipped), () -> "@BusSubscriber " + subscription.source()
						+ " skips interceptor '" + skipped + "', but no BusHandlerInterceptor bean has that name "
						+ "(known: " + interceptorNames + ")");
			}
			String errorHandler = handler.errorHandlerName();
			Assert.state(errorHandler == null || errorHandlerNames.contains(errorHandler),
					() -> "@BusSubscriber " + subscription.source() + " names error handler '" + errorHandler
							+ "', but no BusErrorHandler bean has that name (known: " + errorHandlerNames + ")");
		});
	}

}
