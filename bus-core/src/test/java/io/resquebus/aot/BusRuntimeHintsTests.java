package io.resquebus.aot;

import java.util.Map;

import io.resquebus.BusEvent;
import io.resquebus.annotation.BusSubscriber;
import io.resquebus.annotation.Critical;
import io.resquebus.job.ResqueJob;
import io.resquebus.wire.BusJob;
import io.resquebus.wire.FailureEntry;
import io.resquebus.wire.SubscriptionEntry;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedMethods;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.generate.MethodReference;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints an AOT-processed application needs: the Lua scripts as resources, the wire records
 * for binding, and every handler method for invocation with its bound parameter type; both found
 * through {@code aot.factories} as Spring's AOT engine finds them.
 */
class BusRuntimeHintsTests {

	@Test
	void registersTheLuaScriptsAndTheWireRecords() {
		RuntimeHints hints = new RuntimeHints();
		new BusRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.resource().forResource("io/resquebus/redis/fetch.lua")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("io/resquebus/redis/json-text.lua")).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("io/resquebus/other.lua")).rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(BusJob.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(FailureEntry.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(SubscriptionEntry.class)).accepts(hints);
	}

	@Test
	void registersEveryHandlerMethodForInvocationAndItsParameterTypeForBinding() {
		RuntimeHints hints = contribute(Handlers.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "onUser")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "onPayment"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "archive")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, "notAHandler"))
			.rejects(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(UserCreated.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(UserCreated.class, "name")).accepts(hints);
	}

	@Test
	void contributesNothingForABeanWithoutHandlers() {
		assertThat(new BusHandlerAotProcessor().processAheadOfTime(registered(String.class))).isNull();
	}

	@Test
	void isFoundThroughAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(BusRuntimeHints.class);
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(BeanRegistrationAotProcessor.class)).hasAtLeastOneElementOfType(BusHandlerAotProcessor.class);
	}

	private static RuntimeHints contribute(Class<?> beanClass) {
		BeanRegistrationAotContribution contribution = new BusHandlerAotProcessor()
			.processAheadOfTime(registered(beanClass));
		assertThat(contribution).isNotNull();
		GenerationContext context = new DefaultGenerationContext(new ClassNameGenerator(ClassName.get(Handlers.class)),
				new InMemoryGeneratedFiles());
		contribution.applyTo(context, new NoCode());
		return context.getRuntimeHints();
	}

	private static RegisteredBean registered(Class<?> beanClass) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
		return RegisteredBean.of(beans, "bean");
	}

	/** The processor only contributes hints, no code. */
	private static final class NoCode implements BeanRegistrationCode {

		@Override
		public ClassName getClassName() {
			throw new UnsupportedOperationException();
		}

		@Override
		public GeneratedMethods getMethods() {
			throw new UnsupportedOperationException();
		}

		@Override
		public void addInstancePostProcessor(MethodReference methodReference) {
			throw new UnsupportedOperationException();
		}

	}

	record UserCreated(long id, String name) {
	}

	static class Handlers {

		@BusSubscriber("user_created")
		void onUser(UserCreated event) {
		}

		@Critical("payment_made")
		void onPayment(BusEvent event) {
		}

		@ResqueJob(value = "Archive", queue = "files")
		void archive(long id, Map<String, Object> options) {
		}

		void notAHandler() {
		}

	}

}
