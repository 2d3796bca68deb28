package io.resquebus.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.LocalSubscription;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Finds {@link BusSubscriber} and {@link Critical} methods on every bean (inherited ones
 * included) and adds them to the app's subscriptions. Fails the application start on a method
 * the bus cannot call, or on subscriptions without an app key.
 */
public class BusSubscriberAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final List<LocalSubscription> pending = new ArrayList<>();

	private @Nullable AppSubscriptions subscriptions;

	private @Nullable BeanFactory beanFactory;

	/** Hands what it finds to the {@link AppSubscriptions} bean once all singletons exist. */
	public BusSubscriberAnnotationBeanPostProcessor() {
	}

	/** Hands what it finds to the given subscriptions. */
	public BusSubscriberAnnotationBeanPostProcessor(AppSubscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, BusSubscriber> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<BusSubscriber>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, BusSubscriber.class));
		methods.forEach((method, annotation) -> register(bean, targetClass, method, annotation));
		return bean;
	}

	private void register(Object bean, Class<?> targetClass, Method method, BusSubscriber annotation) {
		String source = ClassUtils.getUserClass(targetClass).getSimpleName() + "." + method.getName();
		String event = annotation.event();
		String pattern = annotation.pattern();
		if (event.isEmpty() == pattern.isEmpty()) {
			throw new IllegalStateException("@BusSubscriber on " + method.toGenericString()
					+ " needs exactly one of an event type (value) or a pattern");
		}
		Map<String, String> matcher = event.isEmpty() ? LocalSubscription.eventTypePattern(pattern)
				: LocalSubscription.eventType(event);
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		String key = annotation.key().isEmpty() ? source : annotation.key();
		LocalSubscription subscription = new LocalSubscription(key, annotation.queue(), matcher,
				new MethodBusHandler(bean, invocable), source, annotation.sync());
		synchronized (this.pending) {
			if (this.subscriptions != null) {
				this.subscriptions.add(subscription);
			}
			else {
				this.pending.add(subscription);
			}
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		synchronized (this.pending) {
			if (this.subscriptions == null) {
				Assert.state(this.beanFactory != null, "No BeanFactory to find the AppSubscriptions in");
				this.subscriptions = this.beanFactory.getBean(AppSubscriptions.class);
			}
			this.subscriptions.addAll(this.pending);
			this.pending.clear();
			this.subscriptions.validate();
		}
	}

}
