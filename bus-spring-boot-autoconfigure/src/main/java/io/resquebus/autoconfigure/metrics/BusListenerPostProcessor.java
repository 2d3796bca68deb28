package io.resquebus.autoconfigure.metrics;

import java.util.List;
import java.util.Optional;

import io.resquebus.BusListener;
import io.resquebus.publish.BusTemplate;
import io.resquebus.runner.QueueRunner;
import io.resquebus.subscription.MatchBudget;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Sets the {@link BusListener} beans, in order, on every {@link BusTemplate} and
 * {@link QueueRunner} bean (the app's own too), so that the runners' auto-configurations need not
 * know about listeners.
 */
final class BusListenerPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<BusListener> listeners;

	BusListenerPostProcessor(ObjectProvider<BusListener> listeners) {
		this.listeners = listeners;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof BusTemplate template) {
			listener().ifPresent(template::setListener);
		}
		else if (bean instanceof QueueRunner runner) {
			listener().ifPresent(runner::setListener);
		}
		else if (bean instanceof MatchBudget budget) {
			listener().ifPresent(budget::setListener);
		}
		return bean;
	}

	private Optional<BusListener> listener() {
		List<BusListener> all = this.listeners.orderedStream().toList();
		return all.isEmpty() ? Optional.empty() : Optional.of(BusListener.of(all));
	}

}
