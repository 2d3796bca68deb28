package io.resquebus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Calls several listeners in order; see {@link BusListener#of}. */
final class CompositeBusListener implements BusListener {

	private final List<BusListener> listeners;

	CompositeBusListener(List<BusListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public Publishing publishing(String eventType) {
		List<Publishing> all = this.listeners.stream().map((listener) -> listener.publishing(eventType)).toList();
		return new Publishing() {

			@Override
			public Map<String, Object> attributes() {
				Map<String, Object> attributes = new LinkedHashMap<>();
				all.forEach((publishing) -> attributes.putAll(publishing.attributes()));
				return attributes;
			}

			@Override
			public void published() {
				all.forEach(Publishing::published);
			}

			@Override
			public void failed(Throwable error) {
				all.forEach((publishing) -> publishing.failed(error));
			}

		};
	}

	@Override
	public void driven(@Nullable String eventType, String queue) {
		this.listeners.forEach((listener) -> listener.driven(eventType, queue));
	}

	@Override
	public Handling handling(String queue, String subKey, Map<String, Object> event) {
		List<Handling> all = this.listeners.stream()
			.map((listener) -> listener.handling(queue, subKey, event))
			.toList();
		return new Handling() {

			@Override
			public void succeeded() {
				for (int i = all.size() - 1; i >= 0; i--) {
					all.get(i).succeeded();
				}
			}

			@Override
			public void failed(Throwable error) {
				for (int i = all.size() - 1; i >= 0; i--) {
					all.get(i).failed(error);
				}
			}

		};
	}

	@Override
	public void failed(String queue, @Nullable String eventType, Throwable error) {
		this.listeners.forEach((listener) -> listener.failed(queue, eventType, error));
	}

	@Override
	public void matchBudgetExceeded(String appKey, String subKey) {
		this.listeners.forEach((listener) -> listener.matchBudgetExceeded(appKey, subKey));
	}

	@Override
	public void retried(String queue, @Nullable String eventType, int attempt, Throwable error) {
		this.listeners.forEach((listener) -> listener.retried(queue, eventType, attempt, error));
	}

}
