package io.resquebus.wire;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A plain Resque job ({@code Resque.enqueue(Archive, 42, "masterbrew")}), not a bus event: the
 * Ruby class name and the positional arguments of its {@code perform}.
 *
 * @param raw the job exactly as it was on the queue
 * @param className the Resque job class, e.g. {@code Archive} or {@code Namespaced::Job}
 * @param args the decoded arguments: strings, numbers, booleans, lists, maps or null
 */
public record PlainJob(String raw, String className, List<@Nullable Object> args) {

	public PlainJob {
		args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
	}

	/** Argument {@code index}, or {@code null} past the end. */
	public @Nullable Object arg(int index) {
		return (index < this.args.size()) ? this.args.get(index) : null;
	}

}
