package io.resquebus.aot;

import java.lang.reflect.Method;
import java.util.Set;

import io.resquebus.annotation.BusSubscriber;
import io.resquebus.job.ResqueJob;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Registers the {@link BusSubscriber} (and {@code @Critical}) and {@link ResqueJob} methods of
 * every bean for reflective invocation, and the types their parameters are bound to from event
 * attributes or job arguments for Jackson binding, as spring-kafka does for its listener methods.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
public class BusHandlerAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		Set<Method> handlers = MethodIntrospector.selectMethods(beanClass,
				(ReflectionUtils.MethodFilter) (method) -> AnnotatedElementUtils.hasAnnotation(method,
						BusSubscriber.class) || AnnotatedElementUtils.hasAnnotation(method, ResqueJob.class));
		if (handlers.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> register(generationContext.getRuntimeHints().reflection(), handlers);
	}

	static void register(ReflectionHints reflection, Set<Method> handlers) {
		BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
		for (Method handler : handlers) {
			reflection.registerMethod(handler, ExecutableMode.INVOKE);
			binding.registerReflectionHints(reflection, handler.getGenericParameterTypes());
		}
	}

}
