package io.resquebus.annotation;

import io.resquebus.BusEvent;
import io.resquebus.hook.BusErrorHandler;
import io.resquebus.hook.BusHandlerInterceptor;
import io.resquebus.subscription.AppSubscriptions;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Names of interceptors and error handlers on {@code @BusSubscriber} must name beans of their type.
 */
class SubscriberHookNamesTests {

	@Test
	void failsTheStartOnASkippedInterceptorNoBeanHas() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> start(SkipsUnknown.class))
			.withMessageContaining("skips interceptor 'nope'")
			.withMessageContaining("[audit]");
	}

	@Test
	void failsTheStartOnAnErrorHandlerNoBeanHas() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> start(UnknownErrorHandler.class))
			.withMessageContaining("names error handler 'nope'");
	}

	@Test
	void startsWhenTheNamesAreKnown() {
		assertThatCode(() -> start(KnownNames.class).close()).doesNotThrowAnyException();
	}

	private static AnnotationConfigApplicationContext start(Class<?> handlers) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.registerBean(AppSubscriptions.class, () -> new AppSubscriptions("app"));
		context.registerBean(BusSubscriberAnnotationBeanPostProcessor.class);
		context.registerBean("audit", BusHandlerInterceptor.class, () -> new BusHandlerInterceptor() {
		});
		context.registerBean("onFailure", BusErrorHandler.class, () -> (job, error) -> {
		});
		context.registerBean(handlers);
		context.refresh();
		return context;
	}

	static class SkipsUnknown {

		@BusSubscriber(value = "e", skipInterceptors = "nope")
		void handle(BusEvent event) {
		}

	}

	static class UnknownErrorHandler {

		@BusSubscriber(value = "e", errorHandler = "nope")
		void handle(BusEvent event) {
		}

	}

	static class KnownNames {

		@BusSubscriber(value = "e", skipInterceptors = "audit", errorHandler = "onFailure")
		void handle(BusEvent event) {
		}

	}

}
