package io.resquebus.annotation;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.resquebus.BusSettings;
import io.resquebus.dispatch.BusDispatchConfigurer;
import io.resquebus.hook.InterceptedHandler;
import io.resquebus.internal.EventBinder;
import io.resquebus.subscription.AppSubscriptions;
import io.resquebus.subscription.EventMatcher;
import io.resquebus.subscription.LocalSubscription;
import io.resquebus.subscription.Match;
import io.resquebus.subscription.UnsupportedRegexException;
import io.resquebus.wire.BusAttributes;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds {@link BusSubscriber} and {@link Critical} methods on every bean (inherited ones
 * included), checks each annotation and hands the subscription to a {@link BusSubscriberRegistrar},
 * which adds them to the app's subscriptions and applies every {@link BusDispatchConfigurer} bean
 * once all singletons exist. Fails the application start, naming the method or bean, on a
 * subscription the bus cannot serve, or on subscriptions without an app key.
 * <p>
 * Handlers taking a record or POJO are bound with the bus's own JSON mapper: the given
 * {@link WireCodec}'s, else that of the {@link BusSettings} bean (looked up when the first event
 * is bound, so it is the codec bean the bus uses), else {@link WireCodec#defaultMapper()}.
 */
public class BusSubscriberAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final EventBinder binder = new EventBinder(this::busMapper);

	private final BusSubscriberRegistrar registrar;

	private @Nullable WireCodec codec;

	private @Nullable BeanFactory beanFactory;

	private AnnotationValueResolver values = new AnnotationValueResolver(null);

	/** Classes found to have no subscriber method, not to be introspected again. */
	private final Set<Class<?>> withoutSubscribers = ConcurrentHashMap.newKeySet();

	/** Lazy beans whose subscribers were registered from their definition, not when they are created. */
	private final Set<String> registeredFromDefinition = ConcurrentHashMap.newKeySet();

	/** Hands what it finds to the {@link AppSubscriptions} bean once all singletons exist. */
	public BusSubscriberAnnotationBeanPostProcessor() {
		this.registrar = new BusSubscriberRegistrar(null, this.binder);
	}

	/** Hands what it finds to the given subscriptions. */
	public BusSubscriberAnnotationBeanPostProcessor(AppSubscriptions subscriptions) {
		this.registrar = new BusSubscriberRegistrar(subscriptions, this.binder);
	}

	/** Hands what it finds to the given subscriptions, binding handler parameters with the codec's mapper. */
	public BusSubscriberAnnotationBeanPostProcessor(AppSubscriptions subscriptions, WireCodec codec) {
		this(subscriptions);
		this.codec = codec;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		this.registrar.setBeanFactory(beanFactory);
		this.values = new AnnotationValueResolver(beanFactory);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (this.registeredFromDefinition.contains(beanName)) {
			return bean;
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		subscriberMethods(targetClass).forEach((method, annotation) -> register(
				new MethodBusHandler(bean, AopUtils.selectInvocableMethod(method, bean.getClass()),
						ClassUtils.getUserClass(targetClass), this.binder, source(targetClass, method)),
				targetClass, method, annotation));
		return bean;
	}

	private Map<Method, BusSubscriber> subscriberMethods(Class<?> targetClass) {
		if (this.withoutSubscribers.contains(targetClass)) {
			return Map.of();
		}
		Map<Method, BusSubscriber> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<BusSubscriber>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, BusSubscriber.class));
		if (methods.isEmpty()) {
			this.withoutSubscribers.add(targetClass);
		}
		return methods;
	}

	private static String source(Class<?> targetClass, Method method) {
		return ClassUtils.getUserClass(targetClass).getSimpleName() + "." + method.getName();
	}

	private void register(MethodBusHandler methodHandler, Class<?> targetClass, Method method,
			BusSubscriber annotation) {
		String source = source(targetClass, method);
		Map<String, String> matcher = matcher(method, annotation);
		String key = this.values.resolve(annotation.key());
		key = key.isEmpty() ? source : key;
		String errorHandler = this.values.resolve(annotation.errorHandler());
		InterceptedHandler handler = this.registrar.intercepted(methodHandler, key,
				new LinkedHashSet<>(Arrays.asList(this.values.resolve(annotation.skipInterceptors()))),
				errorHandler.isEmpty() ? null : errorHandler);
		this.registrar.register(new LocalSubscription(key, this.values.resolve(annotation.queue()), matcher, handler,
				source, annotation.sync(), retry(method, annotation)));
	}

	/** {@code bus_event_type} (type or pattern) first, then the attributes in declaration order. */
	private Map<String, String> matcher(Method method, BusSubscriber annotation) {
		String event = this.values.resolve(annotation.event());
		String pattern = this.values.resolve(annotation.pattern());
		if (!event.isEmpty() && !pattern.isEmpty()) {
			throw invalid(method, "has both an event type (value) and a pattern; give one");
		}
		Map<String, String> matcher = new LinkedHashMap<>();
		if (!event.isEmpty()) {
			matcher.put(BusAttributes.EVENT_TYPE, event);
		}
		else if (!pattern.isEmpty()) {
			matcher.put(BusAttributes.EVENT_TYPE, Match.regex(pattern));
		}
		for (Attribute attribute : annotation.attributes()) {
			String name = this.values.resolve(attribute.name());
			if (name.isEmpty()) {
				throw invalid(method, "has an @Attribute without a name");
			}
			String attributeValue = this.values.resolve(attribute.value());
			String attributePattern = this.values.resolve(attribute.pattern());
			if (attributeValue.isEmpty() == attributePattern.isEmpty()) {
				throw invalid(method, "needs exactly one of value or pattern on @Attribute '" + name + "'");
			}
			String value = attributeValue.isEmpty() ? Match.regex(attributePattern) : attributeValue;
			if (matcher.putIfAbsent(name, value) != null) {
				throw invalid(method, "matches attribute '" + name + "' twice");
			}
		}
		if (matcher.isEmpty()) {
			throw invalid(method, "needs an event type (value), a pattern or attributes to match");
		}
		try {
			EventMatcher.validate(matcher);
		}
		catch (IllegalArgumentException | UnsupportedRegexException ex) {
			// no cause: the message says it all and stays the root cause a failed start shows
			throw new IllegalStateException("@BusSubscriber on " + method.toGenericString() + ": " + ex.getMessage());
		}
		return matcher;
	}

	private @Nullable RetryPolicy retry(Method method, BusSubscriber annotation) {
		try {
			return RetryAnnotations.policy(annotation.retry(), this.beanFactory);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(method, "has an invalid @Retry: " + ex.getMessage());
		}
	}

	private static IllegalStateException invalid(Method method, String problem) {
		return new IllegalStateException("@BusSubscriber on " + method.toGenericString() + " " + problem);
	}

	@Override
	public void afterSingletonsInstantiated() {
		registerLazySubscribers();
		this.registrar.registerAll();
	}

	/** Subscribers of lazy singletons nobody has asked for yet, found without creating the bean. */
	private void registerLazySubscribers() {
		if (!(this.beanFactory instanceof ConfigurableListableBeanFactory beans)) {
			return;
		}
		for (String name : beans.getBeanDefinitionNames()) {
			BeanDefinition definition = beans.getMergedBeanDefinition(name);
			if (!definition.isLazyInit() || !definition.isSingleton() || definition.isAbstract()
					|| beans.containsSingleton(name)) {
				continue;
			}
			Class<?> type = beans.getType(name, false);
			if (type == null) {
				continue;
			}
			Map<Method, BusSubscriber> methods = subscriberMethods(type);
			if (methods.isEmpty()) {
				continue;
			}
			this.registeredFromDefinition.add(name);
			Supplier<Object> bean = SingletonSupplier.of(() -> beans.getBean(name));
			methods.forEach((method, annotation) -> register(new MethodBusHandler(bean, method,
					ClassUtils.getUserClass(type), this.binder, source(type, method)), type, method, annotation));
		}
	}

	private JsonMapper busMapper() {
		if (this.codec != null) {
			return this.codec.mapper();
		}
		if (this.beanFactory != null) {
			BusSettings settings = this.beanFactory.getBeanProvider(BusSettings.class).getIfUnique();
			if (settings != null) {
				return settings.codec().mapper();
			}
			WireCodec codec = this.beanFactory.getBeanProvider(WireCodec.class).getIfUnique();
			if (codec != null) {
				return codec.mapper();
			}
		}
		return WireCodec.defaultMapper();
	}

}
