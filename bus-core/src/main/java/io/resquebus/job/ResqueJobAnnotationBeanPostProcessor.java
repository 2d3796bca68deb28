package io.resquebus.job;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.resquebus.BusSettings;
import io.resquebus.annotation.MethodBusHandler;
import io.resquebus.annotation.RetryAnnotations;
import io.resquebus.wire.PlainJob;
import io.resquebus.wire.WireCodec;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds {@link ResqueJob} methods on every bean and registers them with the {@link ResqueJobs}
 * bean; once all singletons exist, applies every {@link ResqueJobConfigurer} bean. A method the
 * bus cannot serve fails the application start, naming it. Arguments bind through the bus's own
 * mapper (that of the {@link BusSettings} bean).
 */
public class ResqueJobAnnotationBeanPostProcessor
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final List<ResqueJobRegistration> pending = new ArrayList<>();

	private final JobArguments arguments = new JobArguments(this::busMapper);

	private @Nullable ResqueJobs jobs;

	private @Nullable BeanFactory beanFactory;

	public ResqueJobAnnotationBeanPostProcessor() {
	}

	/** Registers with the given handlers, binding with the default mapper. */
	public ResqueJobAnnotationBeanPostProcessor(ResqueJobs jobs) {
		this.jobs = jobs;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		Map<Method, ResqueJob> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<ResqueJob>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ResqueJob.class));
		methods.forEach((method, annotation) -> register(bean, targetClass, method, annotation));
		return bean;
	}

	private void register(Object bean, Class<?> targetClass, Method method, ResqueJob annotation) {
		String source = ClassUtils.getUserClass(targetClass).getSimpleName() + "." + method.getName();
		String jobClass = annotation.value().isEmpty() ? null : annotation.value();
		if (jobClass == null && !(method.getParameterCount() == 1 && method.getParameterTypes()[0] == PlainJob.class)) {
			throw invalid(method, "performs every job of its queues (no class named), so it must take one PlainJob");
		}
		JobArguments.Binding binding;
		try {
			binding = this.arguments.binding(method, source);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(method, ex.getMessage());
		}
		RetryPolicy retry;
		try {
			retry = RetryAnnotations.policy(annotation.retry(), this.beanFactory);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(method, "has an invalid @Retry: " + ex.getMessage());
		}
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		ReflectionUtils.makeAccessible(invocable);
		ResqueJobHandler handler = (job) -> MethodBusHandler.invoke(bean, invocable, binding.bind(job));
		ResqueJobRegistration registration;
		try {
			registration = new ResqueJobRegistration(jobClass, Arrays.asList(annotation.queue()), handler, source,
					retry);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(method, ex.getMessage());
		}
		synchronized (this.pending) {
			if (this.jobs != null) {
				this.jobs.add(registration);
			}
			else {
				this.pending.add(registration);
			}
		}
	}

	private static IllegalStateException invalid(Method method, @Nullable String problem) {
		return new IllegalStateException("@ResqueJob on " + method.toGenericString() + " " + problem);
	}

	@Override
	public void afterSingletonsInstantiated() {
		synchronized (this.pending) {
			if (this.jobs == null) {
				Assert.state(this.beanFactory != null, "No BeanFactory to find the ResqueJobs in");
				this.jobs = this.beanFactory.getBean(ResqueJobs.class);
			}
			this.pending.forEach(this.jobs::add);
			this.pending.clear();
			if (this.beanFactory instanceof ListableBeanFactory beans) {
				ResqueJobs jobs = this.jobs;
				beans.getBeanProvider(ResqueJobConfigurer.class).orderedStream().forEach((c) -> c.configure(jobs));
			}
		}
	}

	private JsonMapper busMapper() {
		if (this.beanFactory != null) {
			BusSettings settings = this.beanFactory.getBeanProvider(BusSettings.class).getIfUnique();
			if (settings != null) {
				return settings.codec().mapper();
			}
		}
		return WireCodec.defaultMapper();
	}

}
