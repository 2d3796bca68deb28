package io.resquebus.hook;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.resquebus.BusEvent;
import io.resquebus.BusHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscriber's handler inside the interceptor chain, with the subscription's own options: the
 * interceptors it skips and the error handler that serves it.
 */
public final class InterceptedHandler implements BusHandler {

	private static final Logger logger = LoggerFactory.getLogger(InterceptedHandler.class);

	private final BusHandler delegate;

	private final String subscriptionKey;

	private final Set<String> skipped;

	private final @Nullable String errorHandlerName;

	private final Supplier<List<NamedInterceptor>> interceptors;

	/**
	 * @param interceptors every interceptor in order; asked at each invocation, so it may be
	 * resolved lazily
	 * @param skipped bean names of interceptors this subscription leaves out
	 * @param errorHandlerName bean name of the {@link BusErrorHandler} for this subscription
	 */
	public InterceptedHandler(BusHandler delegate, String subscriptionKey, Supplier<List<NamedInterceptor>> interceptors,
			Set<String> skipped, @Nullable String errorHandlerName) {
		this.delegate = delegate;
		this.subscriptionKey = subscriptionKey;
		this.interceptors = interceptors;
		this.skipped = Set.copyOf(skipped);
		this.errorHandlerName = errorHandlerName;
	}

	public BusHandler delegate() {
		return this.delegate;
	}

	public Set<String> skippedInterceptors() {
		return this.skipped;
	}

	public @Nullable String errorHandlerName() {
		return this.errorHandlerName;
	}

	@Override
	public void handle(BusEvent event) throws Exception {
		List<NamedInterceptor> chain = this.interceptors.get();
		if (chain.isEmpty()) {
			this.delegate.handle(event);
			return;
		}
		int passed = 0;
		try {
			for (NamedInterceptor named : chain) {
				if (this.skipped.contains(named.name())) {
					continue;
				}
				if (!named.interceptor().beforeHandle(event, this.subscriptionKey)) {
					logger.debug("Interceptor '{}' skipped the handler of {}", named.name(), this.subscriptionKey);
					return;
				}
				passed++;
			}
			this.delegate.handle(event);
			for (NamedInterceptor named : passedInReverse(chain, passed)) {
				named.interceptor().afterHandle(event, this.subscriptionKey);
			}
		}
		catch (Exception | Error ex) {
			for (NamedInterceptor named : passedInReverse(chain, passed)) {
				try {
					named.interceptor().onError(event, this.subscriptionKey, ex);
				}
				catch (RuntimeException hookFailure) {
					ex.addSuppressed(hookFailure);
				}
			}
			throw ex;
		}
	}

	private List<NamedInterceptor> passedInReverse(List<NamedInterceptor> chain, int passed) {
		List<NamedInterceptor> result = new java.util.ArrayList<>(passed);
		for (NamedInterceptor named : chain) {
			if (result.size() == passed) {
				break;
			}
			if (!this.skipped.contains(named.name())) {
				result.add(0, named);
			}
		}
		return result;
	}

}
