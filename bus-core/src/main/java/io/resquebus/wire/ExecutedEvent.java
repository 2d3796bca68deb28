package io.resquebus.wire;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * An event with {@code bus_executed_at} laid over it, without copying it: read-only, in the order
 * Ruby's {@code attributes["bus_executed_at"] = Time.now.to_i} leaves a hash (a key already there
 * keeps its place with the new value, else it comes last). Equal to, and hashed as, any map with
 * the same entries ({@link AbstractMap}'s contract). The event under it is read live and must not
 * change meanwhile, as a decoded job's event does not.
 */
final class ExecutedEvent extends AbstractMap<String, Object> {

	private final Map<String, Object> event;

	private final Long executedAt;

	private @Nullable Set<Entry<String, Object>> entrySet;

	ExecutedEvent(Map<String, Object> event, long executedAt) {
		this.event = event;
		this.executedAt = executedAt;
	}

	private static boolean isExecutedAt(@Nullable Object key) {
		return BusAttributes.EXECUTED_AT.equals(key);
	}

	@Override
	public int size() {
		return this.event.containsKey(BusAttributes.EXECUTED_AT) ? this.event.size() : this.event.size() + 1;
	}

	@Override
	public boolean isEmpty() {
		return false;
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return isExecutedAt(key) || this.event.containsKey(key);
	}

	@Override
	public @Nullable Object get(@Nullable Object key) {
		return isExecutedAt(key) ? this.executedAt : this.event.get(key);
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super Object> action) {
		boolean[] replaced = { false };
		this.event.forEach((name, value) -> {
			if (isExecutedAt(name)) {
				replaced[0] = true;
				action.accept(name, this.executedAt);
			}
			else {
				action.accept(name, value);
			}
		});
		if (!replaced[0]) {
			action.accept(BusAttributes.EXECUTED_AT, this.executedAt);
		}
	}

	@Override
	public Set<Entry<String, Object>> entrySet() {
		Set<Entry<String, Object>> entries = this.entrySet;
		if (entries == null) {
			entries = new Entries();
			this.entrySet = entries;
		}
		return entries;
	}

	private final class Entries extends AbstractSet<Entry<String, Object>> {

		@Override
		public int size() {
			return ExecutedEvent.this.size();
		}

		@Override
		public Iterator<Entry<String, Object>> iterator() {
			Iterator<Entry<String, Object>> events = ExecutedEvent.this.event.entrySet().iterator();
			return new Iterator<>() {

				private boolean replaced;

				private boolean appended;

				@Override
				public boolean hasNext() {
					return events.hasNext() || (!this.replaced && !this.appended);
				}

				@Override
				public Entry<String, Object> next() {
					if (events.hasNext()) {
						Entry<String, Object> entry = events.next();
						if (isExecutedAt(entry.getKey())) {
							this.replaced = true;
							return new SimpleImmutableEntry<>(entry.getKey(), ExecutedEvent.this.executedAt);
						}
						return new SimpleImmutableEntry<>(entry);
					}
					if (this.replaced || this.appended) {
						throw new java.util.NoSuchElementException();
					}
					this.appended = true;
					return new SimpleImmutableEntry<>(BusAttributes.EXECUTED_AT, ExecutedEvent.this.executedAt);
				}

			};
		}

	}

}
