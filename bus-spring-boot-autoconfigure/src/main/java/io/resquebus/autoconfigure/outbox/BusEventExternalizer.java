package io.resquebus.autoconfigure.outbox;

import java.util.concurrent.CompletableFuture;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.support.EventExternalizerModuleListener;
import org.springframework.transaction.annotation.Propagation;

/**
 * Spring Modulith's externalizing listener for the bus. Declares the listener method itself so
 * that its publications carry a listener id of their own, apart from other brokers'
 * externalizers, for {@link BusOutboxResubmitter} to retry.
 */
public class BusEventExternalizer extends EventExternalizerModuleListener {

	public BusEventExternalizer(EventExternalizationConfiguration configuration,
			BusExternalizationTransport transport) {
		super(configuration, transport);
	}

	@Override
	@ApplicationModuleListener(propagation = Propagation.SUPPORTS)
	public CompletableFuture<?> externalize(Object event) {
		return super.externalize(event);
	}

}
