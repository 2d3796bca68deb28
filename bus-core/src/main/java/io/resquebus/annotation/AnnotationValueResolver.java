package io.resquebus.annotation;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;

/**
 * Resolves {@code ${...}} placeholders and then {@code #{...}} SpEL expressions in annotation
 * attributes, as {@code @KafkaListener} does, through the bean factory's embedded value resolver
 * and bean expression resolver. Without a configurable bean factory, values stay as written.
 */
final class AnnotationValueResolver {

	private final @Nullable ConfigurableBeanFactory beanFactory;

	private final @Nullable BeanExpressionContext context;

	AnnotationValueResolver(@Nullable BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable : null;
		this.context = (this.beanFactory != null) ? new BeanExpressionContext(this.beanFactory, null) : null;
	}

	/** The value with placeholders and expressions resolved; an expression yielding null gives "". */
	String resolve(String value) {
		if (this.beanFactory == null || this.context == null || value.isEmpty()) {
			return value;
		}
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		if (resolved == null) {
			return "";
		}
		BeanExpressionResolver expressions = this.beanFactory.getBeanExpressionResolver();
		if (expressions == null) {
			return resolved;
		}
		Object evaluated = expressions.evaluate(resolved, this.context);
		return (evaluated != null) ? evaluated.toString() : "";
	}

	String[] resolve(String[] values) {
		String[] resolved = new String[values.length];
		for (int i = 0; i < values.length; i++) {
			resolved[i] = resolve(values[i]);
		}
		return resolved;
	}

}
